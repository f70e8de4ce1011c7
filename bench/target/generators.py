# A generator drained by a for loop.
def gen(n):
    i = 0
    while i < n:
        yield i
        i += 1

def bench():
    t = 0
    for v in gen(10000):
        t += v
    return t
