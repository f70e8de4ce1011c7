# Generators, generator expressions and yield from.
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1


def chained(n):
    yield from count(n)
    yield from count(n)


def run(n):
    t = 0
    for v in chained(n):
        t += v
    t += sum(x * 2 for x in range(n))
    return t


print(run(500000))
