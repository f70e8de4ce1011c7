# Calls of Python functions with positional, default and keyword arguments.
def add(a, b):
    return a + b


def scaled(a, b=2, *, c=3):
    return a * b + c


def run(n):
    t = 0
    for i in range(n):
        t = add(t, i) & 0xFFFF
        t = scaled(t, 3, c=1) & 0xFFFF
        t = scaled(t) & 0xFFFF
    return t


print(run(300000))
