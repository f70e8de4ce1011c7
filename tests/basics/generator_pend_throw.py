# MicroPython's gen.pend_throw(exc): exc is thrown at the next resumption;
# None cancels; the previous pending exception is returned.
def ticker():
    i = 0
    while True:
        try:
            yield i
        except KeyError:
            print("cancelled at", i)
        i += 1


g = ticker()
print(next(g), next(g))
print(g.pend_throw(KeyError()))
print(next(g))
g.pend_throw(ValueError("x"))
print(repr(g.pend_throw(None)))
print(next(g))
g.pend_throw(OSError(5))
try:
    next(g)
except OSError as e:
    print("raised", e.args)
fresh = ticker()
fresh.pend_throw(KeyError())
try:
    next(fresh)
except KeyError:
    print("unstarted generator raises it")
