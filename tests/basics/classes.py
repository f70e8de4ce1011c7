class Animal:
    kind = "animal"
    count = 0
    def __init__(self, name):
        self.name = name
        Animal.count += 1
    def speak(self):
        return self.name + " makes a sound"
    @staticmethod
    def create(name):
        return Animal(name)
    @classmethod
    def describe(cls):
        return "class " + cls.__name__
    @property
    def upper(self):
        return self.name.upper() if False else self.name + "!"

class Dog(Animal):
    def __init__(self, name, breed="mutt"):
        super().__init__(name)
        self.breed = breed
    def speak(self):
        return super().speak() + " (woof)"

a = Animal("cat")
d = Dog("rex", breed="lab")
print(a.speak(), "|", d.speak(), d.breed, Animal.count, d.kind)
print(Animal.create("x").name, Dog.describe(), a.upper, type(d) is Dog, isinstance(d, Animal), issubclass(Dog, Animal), isinstance(a, Dog))
print(type(a).__name__, Dog.__name__)

class MyError(ValueError):
    def __init__(self, code):
        super().__init__("failed with", code)
        self.code = code
try:
    raise MyError(42)
except ValueError as e:
    print("caught", type(e).__name__, e.code, e.args, isinstance(e, MyError))

class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __eq__(self, o):
        return self.x == o.x and self.y == o.y
    def __repr__(self):
        return "Vec(%d, %d)" % (self.x, self.y) if False else "Vec(" + str(self.x) + ", " + str(self.y) + ")"
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return (self.x, self.y)[i]
    def __iter__(self):
        return iter([self.x, self.y])
print(Vec(1, 2) + Vec(3, 4), Vec(1, 2) == Vec(1, 2), len(Vec(0, 0)), Vec(5, 6)[1], list(Vec(7, 8)))

class A:
    def who(self): return "A"
class B(A):
    def who(self): return "B" + super().who()
class C(A):
    def who(self): return "C" + super().who()
class D(B, C):
    def who(self): return "D" + super().who()
print(D().who())
class Counter:
    def __init__(self):
        self.n = 0
    def __call__(self, k=1):
        self.n += k
        return self.n
c = Counter()
c(); c(5)
print(c.n)
class Temp:
    def __init__(self):
        self._c = 0
    @property
    def c(self):
        return self._c
    @c.setter
    def c(self, v):
        self._c = v * 2
t = Temp()
t.c = 5
print(t.c)
