# A generator's return value arrives once, in the first StopIteration.
def gen():
    yield 1
    return 42


g = gen()
print(next(g))
for _ in range(2):
    try:
        next(g)
    except StopIteration as e:
        print(e.args, e.value)


def outer():
    r = yield from gen()
    return r * 2


o = outer()
print(next(o))
try:
    next(o)
except StopIteration as e:
    print(e.value)
