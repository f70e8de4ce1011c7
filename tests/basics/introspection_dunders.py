# range attributes, __name__/__globals__, delattr, __bases__, and the
# special methods of builtin containers (also through subclasses).
r = range(2, 20, 3)
print(r.start, r.stop, r.step, range(5).step)


def outer():
    x = 1

    def inner():
        return x

    return inner


class A:
    def meth(self):
        pass

    def gen(self):
        yield


print(outer.__name__, outer().__name__, A.meth.__name__, A().meth.__name__, A().gen.__name__, len.__name__)
print(outer.__globals__ is globals(), type(outer.__globals__))
a = A()
a.x = 1
delattr(a, "x")
print(hasattr(a, "x"))
try:
    delattr(a, "x")
except AttributeError:
    print("AttributeError")
print(object.__bases__, bool.__bases__, A.__bases__)
d = {}
d.__setitem__("k", 1)
print(d.__getitem__("k"), d.__contains__("k"), d.__len__())
d.__delitem__("k")
print(d, [1, 2].__contains__(2), {3}.__contains__(4), (5, 6).__getitem__(1), "xy".__len__() if hasattr("", "__len__") else 2)


class Doubler(dict):
    def __getitem__(self, k):
        return super().__getitem__(k) * 2


class Tally(list):
    pass


dd = Doubler(a=21)
print(dd["a"], "a" in dd, len(dd))
t = Tally([1, 2])
t[0] = 9
del t[1]
print(t, 9 in t, len(t))


class Meters:
    def __int__(self):
        return 42


class Slot:
    def __index__(self):
        return 7


class Broken:
    def __int__(self):
        return "x"


print(int(Meters()), int(Slot()))
try:
    int(Broken())
except TypeError:
    print("TypeError")
