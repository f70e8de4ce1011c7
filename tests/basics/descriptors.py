# Descriptors: __get__/__set__/__delete__ on class attributes, __set_name__
# at class creation, and property's getter/setter/deleter.
class Verbose:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = "_" + name

    def __get__(self, obj, cls):
        if obj is None:
            return "on class " + cls.__name__
        return getattr(obj, self.name, "unset")

    def __set__(self, obj, value):
        print("set", value)
        setattr(obj, self.name, value * 2)

    def __delete__(self, obj):
        print("delete")
        delattr(obj, self.name)


class Plain:
    def __get__(self, obj, cls):
        return "plain"


class C:
    v = Verbose()
    p = Plain()


c = C()
print(c.v, C.v)
c.v = 21
print(c.v, c.__dict__)
del c.v
print(c.v)
print(c.p)
c.p = "shadow"  # not a data descriptor: the instance's attribute wins
print(c.p)


class Temperature:
    def __init__(self):
        self._c = 0

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, v):
        self._c = v

    @celsius.deleter
    def celsius(self):
        print("deleting")
        self._c = None


t = Temperature()
t.celsius = 5
print(t.celsius)
del t.celsius
print(t.celsius)

ro = property(lambda self: 1)
class R:
    x = ro
try:
    R().x = 2
except AttributeError:
    print("AttributeError set")
try:
    del R().x
except AttributeError:
    print("AttributeError del")
print(type(ro.getter(lambda s: 2)), type(ro.deleter(None)))

try:
    super(int, "x")
except TypeError:
    print("TypeError super")
