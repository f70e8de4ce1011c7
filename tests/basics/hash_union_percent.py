# hash() of bools and of classes with __eq__ but no __hash__; dict | dict
# and |=; %d of an object with __int__.
print(hash(True), hash(False), hash(7) == hash(7.0))


class OnlyEq:
    def __eq__(self, other):
        return True


class NoneHash:
    __hash__ = None


class BoolHash:
    def __hash__(self):
        return True


for obj in (OnlyEq(), NoneHash()):
    try:
        hash(obj)
    except TypeError:
        print("TypeError")
print(hash(BoolHash()))
a = {"x": 1, "y": 2}
b = {"y": 20, "z": 30}
print(a | b, b | a, a)
a |= b
print(a)
try:
    a | [1]
except TypeError:
    print("TypeError")


class Qty:
    def __int__(self):
        return 12


print("%d items, %x" % (Qty(), 255))
