# Subclasses of builtin types keep a value of the type and its behaviour.
class L(list):
    def total(self):
        return sum(self)
l = L([1, 2, 3])
l.append(4)
print(l, len(l), l.total(), l[1], l[-1:], 3 in l, isinstance(l, list), type(l).__name__, l == [1, 2, 3, 4])
for x in l:
    print(x, end=" ")
print()
class L2(list):
    def __init__(self, a, b):
        super().__init__([a, b])
        self.tag = "t"
l2 = L2(5, 6)
print(l2, l2.tag, sorted(l2, reverse=True), l2 + [7])
class D(dict):
    def __missing__(self, k):
        return 0
d = D(a=1)
d["b"] = 2
print(d, d["a"], len(d), list(d.keys()), d.get("b"))
class S(str):
    def shout(self):
        return self.upper() + "!"
s = S("hey")
print(s, s.shout(), s + "x", len(s), s == "hey", "%s" % s, s.startswith("h"))
class I(int):
    def double(self):
        return self * 2
i = I(21)
print(i, i.double(), i + 1, i > 20, hex(i), [0, 1, 2][I(1)])
class T(tuple):
    def first(self):
        return self[0]
t = T((9, 8))
print(t, t.first(), len(t), t + (7,))
a, b = t
print(a, b)
class F(float):
    pass
print(F(1.5) * 2, F("2.25"))
