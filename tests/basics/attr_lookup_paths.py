# Attribute lookup takes shortcuts (a class that never held a data
# descriptor lets the instance's dict answer first; names found in dicts
# are remembered): each must give way when the situation changes.
class A:
    def __init__(self):
        self.x = 1

    def m(self):
        return "method"


a = A()
print(a.x, a.m())
# A property added to the class later takes over reads and writes.
A.x = property(lambda self: "prop", lambda self, v: print("set", v))
print(a.x)
a.x = 5
print(a.x)


class Base:
    pass


class Derived(Base):
    def __init__(self):
        self.y = "own"


d = Derived()
print(d.y)
# ... also when it is put on a base class.
Base.y = property(lambda self: "base prop")
print(d.y)


# A data descriptor that is a plain object with __get__ and __set__.
class Desc:
    def __get__(self, obj, cls):
        return "desc"

    def __set__(self, obj, value):
        print("desc set", value)


class C:
    z = Desc()


c = C()
c.z = 3
print(c.z)
# Names remembered in one dict are not taken for another's.
g = {}
for i in range(20):
    g["n%d" % i] = i
h = dict(g)
print(g["n5"], h["n5"], g.get("n19"), h.get("n19"))
del g["n5"]
print("n5" in g, h["n5"])
for i in range(40):
    g["m%d" % i] = i
    del g["m%d" % i]
print(len(g), g["n6"], sorted(g)[:3])
