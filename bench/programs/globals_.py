# Reads and writes of module globals and builtins from a function.
counter = 0
step = 3


def run(n):
    global counter
    for i in range(n):
        counter = (counter + step) % 1000
        if len("abc") != 3:
            counter = 0
    return counter


print(run(1000000))
