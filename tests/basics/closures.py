def counter():
    n = 0
    def inc(by=1):
        nonlocal n
        n += by
        return n
    return inc
c = counter()
print(c(), c(), c(5))
def outer(x):
    def mid():
        def inner():
            return x * 2
        return inner()
    return mid()
print(outer(21))
print([x * x for x in range(5)], [y for y in "abc" if y != "b"])
print({k: v for k, v in [("a", 1), ("b", 2)]})
print([(a, b) for a in range(3) for b in range(a)])
f = lambda a, b=2: a + b
print(f(1), f(1, 3), (lambda: 42)())
def adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([g(10) for g in adders()])
def scale(k):
    return [v * k for v in [1, 2, 3]]
print(scale(3))
late = [lambda: i for i in range(3)]
print([g() for g in late])
def param_cell(v):
    def get():
        return v
    v = v + 1
    return get
print(param_cell(1)())
def deep():
    a = 1
    def l1():
        def l2():
            nonlocal a
            a += 10
            return a
        return l2
    return l1()(), a
print(deep())
x = 100
print([x + j for j in range(2)])
j = "unchanged"
squares = [j * j for j in range(3)]
print(j, squares)
def comp_in_func(limit):
    base = 5
    return {n: base + n for n in range(limit) if n % 2 == 0}
print(comp_in_func(6))
def make_acc():
    total = []
    def add(item):
        total.append(item)
        return len(total)
    return add
acc = make_acc()
acc("a")
print(acc("b"))
