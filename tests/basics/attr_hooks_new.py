# __setattr__/__delattr__ hooks with object.__setattr__ underneath, __new__
# (implicitly static) with object.__new__, __init__ returning None, and
# builtins stored as class attributes staying unbound.
class Logged:
    def __setattr__(self, name, value):
        print("set", name, value)
        object.__setattr__(self, name, value * 10)

    def __delattr__(self, name):
        print("del", name)
        super().__delattr__(name)


o = Logged()
o.a = 1
print(o.a)
del o.a
print(hasattr(o, "a"))
try:
    object.__setattr__(o, 5, 5)
except TypeError:
    print("TypeError name")


class Single:
    _it = None

    def __new__(cls, *args, **kw):
        print("new", args, kw)
        if cls._it is None:
            cls._it = super().__new__(cls)
        return cls._it

    def __init__(self, x, y=0):
        print("init", x, y)


a = Single(1, y=2)
b = Single(3)
print(a is b, isinstance(a, Single))


class Other:
    def __new__(cls):
        return 42

    def __init__(self):
        print("never")


print(Other())
bare = object.__new__(Single)
print(type(bare) is Single)
try:
    object.__new__(int)
except TypeError:
    print("TypeError new")


class BadInit:
    def __init__(self):
        return 1


try:
    BadInit()
except TypeError:
    print("TypeError init")


class Holder:
    f = abs
    t = int


h = Holder()
print(h.f(-3), h.t("7"))


class Base:
    def __init__(self):
        self.v = 3

    def items(self):
        return list(range(self.v))


class Derived(Base):
    def items(self):
        return [self.v * i for i in super().items()]


print(Derived().items())
