# Bound methods compare (and hash) by their object and function; an array
# equals only another array with equal items.
import array

class A:
    def f(self):
        return 1

a, b = A(), A()
print(a.f == a.f, a.f != a.f, a.f == b.f, a.f == A.f, a.f == None)
print(hash(a.f) == hash(a.f), len({a.f, a.f, b.f}))

print(array.array("b", [97, 98]) == b"ab", b"ab" == array.array("B", [97, 98]))
print(array.array("b", [1, 2]) == array.array("B", [1, 2]), array.array("h", [1, 2]) == array.array("i", [1, 2]))
print(array.array("f", [1.5]) == array.array("d", [1.5]), array.array("b", [1]) == array.array("b", [1, 2]))
print(bytes(array.array("b", [97, 98])) == b"ab")
