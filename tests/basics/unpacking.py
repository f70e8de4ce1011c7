a, *b = [1, 2, 3]
print(a, b)
*c, d = "xyz"
print(c, d)
e, *f, g = range(6)
print(e, f, g)
h, *i = (1,)
print(h, i)
for first, *rest in [(1, 2, 3), (4,)]:
    print(first, rest)
print([*range(3), *"ab", 9], (*[1, 2], 3), [*()])
x: int = 5
y: list
print(x)
if (n := len(b)) > 1:
    print("walrus", n)
values = [v for v in range(5) if (sq := v * v) > 4]
print(values)
class O:
    pass
o = O()
o.attr = 1
del o.attr
print(hasattr(o, "attr"))
try:
    del o.attr
except AttributeError:
    print("AttributeError")
try:
    p, *q, r = [1]
except ValueError:
    print("ValueError")
