# dir() lists the names an object has attributes for.
import sys

print("__name__" in dir(), "sys" in dir())
print("version" in dir(sys), "append" in dir(list), "append" in dir([]), "keys" in dir({}))

class Base:
    def a(self):
        pass

class Child(Base):
    k = 1
    def __init__(self):
        self.x = 2

names = dir(Child())
print(names.count("a"), names.count("k"), names.count("x"), "__init__" in names, "nope" in names)
print("from_bytes" in dir(int), "join" in dir(""))
