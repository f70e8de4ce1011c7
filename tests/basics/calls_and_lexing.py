# Keyword arguments a builtin does not take are refused; ** takes any
# mapping; '@' dispatches to __matmul__; source newlines are universal;
# '01' is not a number; from-import-* works on any namespace object.
for call in ["[].append(x=1)", "range(end=1)", "[].sort(noexist=1)", "abs(x=-1)", "sorted([1], nokey=1)"]:
    try:
        eval(call)
        print("accepted", call)
    except TypeError:
        print("TypeError", call)
print(sorted([3, 1, 2], reverse=True), "-".join("a b".split(sep=" ")))


class Mapping:
    def keys(self):
        return ["a", "b"]

    def __getitem__(self, k):
        return k.upper()


def show(**kw):
    return sorted(kw.items())


print(show(**Mapping()))


class Matrix:
    def __init__(self, v):
        self.v = v

    def __matmul__(self, other):
        return Matrix(self.v * other.v)

    def __rmatmul__(self, other):
        return Matrix(other * self.v)

    def __imatmul__(self, other):
        self.v += other.v
        return self


m = Matrix(2) @ Matrix(3)
print(m.v, (5 @ Matrix(2)).v)
m @= Matrix(1)
print(m.v)
try:
    1 @ 2
except TypeError:
    print("TypeError @")

exec("x = 1\r\ny = 2\rprint(x + y)")
print(repr(eval("'a\\\r\nb'")))
for src in ["01", "00", "0_0", "01.5", "0x1f"]:
    try:
        print(src, eval(src))
    except SyntaxError:
        print(src, "SyntaxError")

import sys


class Namespace:
    __all__ = ("shown",)
    shown = "yes"
    hidden = "no"


sys.modules["fake_mod"] = Namespace
from fake_mod import *
print(shown, "hidden" in globals())
try:
    bytearray(1 << 80)
except OverflowError:
    print("OverflowError")


def outer():
    v = 1
    def inner():
        nonlocal v
        del v
    inner()
    try:
        inner()
    except NameError:
        print("NameError")


outer()
for src in ["class K:\n    return 1\n", "compile('', 's', 'eval')"]:
    try:
        exec(src)
    except SyntaxError:
        print("SyntaxError")
import __main__
__main__.attr = 5
print(attr)
del __main__.attr
print("attr" in globals())
s = {1, 2, 3}
print(s.difference_update(), sorted(s), s.difference(), s.intersection_update())
try:
    {}[1:2] = 1
except TypeError:
    print("TypeError slice key")
try:
    memoryview(b"a") + b"b"
except TypeError:
    print("TypeError memoryview +")
print(b"a" + memoryview(b"b"))
from collections import OrderedDict
a, b = OrderedDict([(1, 1), (2, 2)]), OrderedDict([(2, 2), (1, 1)])
print(a == b, a == dict(b), a != b)
