# collections.deque/OrderedDict/namedtuple and io.StringIO/BytesIO. The .exp
# is CPython's, except that OrderedDict prints as MicroPython prints it.
from collections import deque, OrderedDict, namedtuple
import io

d = deque([1, 2, 3], 4)
d.append(4)
d.append(5)
d.appendleft(0)
print(list(d), len(d), d.pop(), d.popleft(), list(d), 3 in d, bool(deque()))
d.extend([7, 8, 9])
print(list(d))
try:
    deque().popleft()
except IndexError:
    print("IndexError")
od = OrderedDict([("z", 1), ("a", 2)])
od["m"] = 3
print(od, list(od.keys()), od.popitem(), len(od), isinstance(od, dict), od["a"])
P = namedtuple("P", "x y")
p = P(1, y=2)
print(p, p.x, p.y, p[0], len(p), p == (1, 2), isinstance(p, tuple), P._fields, "%d-%d" % p)
x, y = p
print(x + y)
try:
    p.x = 5
except AttributeError:
    print("AttributeError")
try:
    P(1)
except TypeError:
    print("TypeError")
s = io.StringIO("line1\nline2\n")
print(s.readline(), s.read(), s.read(), s.tell())
s.seek(0)
print([l for l in s])
s = io.StringIO()
s.write("héllo")
print("x", 1, file=s)
print(repr(s.getvalue()))
with io.BytesIO(b"abc") as b:
    b.seek(1)
    b.write(b"ZZZ")
    print(b.getvalue(), b.tell())
