# yield from passes send/throw/close on to what it delegates to, takes a
# StopIteration's value as its result, and StopIteration arguments survive
# next() through map/zip/enumerate.
def leaf():
    try:
        x = yield 1
        print("leaf got", x)
        yield 2
    except ValueError as e:
        print("leaf caught", repr(e))
        yield 3
    except GeneratorExit:
        print("leaf closed")
        raise
    return "leaf done"


def outer():
    r = yield from leaf()
    print("result", r)
    yield 4


g = outer()
print(next(g), g.send("hello"), g.throw(ValueError("boom")), next(g))
g = outer()
next(g)
g.close()


class Echo:
    def __iter__(self):
        return self

    def __next__(self):
        return "first"

    def send(self, v):
        if v == "stop":
            raise StopIteration("echo finished")
        return v * 2

    def throw(self, e):
        return "threw " + repr(e)


def wrap():
    print("wrap result", (yield from Echo()))


g = wrap()
print(next(g), g.send("ab"), g.throw(KeyError))
try:
    g.send("stop")
except StopIteration:
    print("StopIteration")

done = (lambda: (yield))()
list(done)
def again():
    print((yield from done))
list(again())


class Raise42:
    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration(42)


for name, it in [("next", Raise42()), ("map", map(abs, Raise42())), ("zip", zip(Raise42())), ("enumerate", enumerate(Raise42()))]:
    try:
        next(it)
    except StopIteration as e:
        print(name, e.args)
print(list(map(abs, Raise42())))


def counter():
    yield 1
    yield 2


g = counter()
try:
    g.throw(ValueError, 7)
except ValueError as e:
    print("thrown", e.args)
print(repr(counter())[:17])
# MicroPython's write(buf, n) and write(buf, off, n) are not CPython's; see
# tests/stdlib for io. A deque takes no slices.
from collections import deque
d = deque((1, 2, 3), 5)
for op in ["d[0:1]", "d[1]"]:
    try:
        print(eval(op))
    except TypeError:
        print("TypeError", op)
