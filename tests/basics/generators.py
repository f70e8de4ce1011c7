def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "done"

print(list(count(4)))
for v in count(3):
    print("v", v)
g = count(2)
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("stop", e.args)

def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    return received

e = echo()
print(next(e), e.send("a"), e.send("b"))
try:
    e.send(None)
except StopIteration as s:
    print("returned", s.args)

def inner():
    yield 1
    yield 2
    return "inner result"

def outer():
    r = yield from inner()
    yield r
    yield from [10, 20]

print(list(outer()))
print(list(x * 2 for x in range(4)), tuple(c for c in "ab"))
total = 0
for sq in (n * n for n in range(5) if n % 2):
    total += sq
print(total)

def guarded():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")

gg = guarded()
print(next(gg))
gg.close()
print("closed")

def catcher():
    while True:
        try:
            yield "ready"
        except ValueError as ex:
            print("caught inside", ex)

c = catcher()
next(c)
print(c.throw(ValueError("boom")))

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

out = []
for f in fib():
    if f > 50:
        break
    out.append(f)
print(out)
gen = (i for i in [1, 2, 3])
print(next(gen), list(gen), list(gen))
