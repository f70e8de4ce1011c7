# Small-int arithmetic in a counted loop: the dispatch loop's fast paths.
def run(n):
    s = 0
    for i in range(n):
        s = (s + i) & 1023
    return s


print(run(3000000))
