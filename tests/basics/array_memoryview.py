# array.array and memoryview over bytes, bytearray and arrays.
import array

a = array.array("h", [1, -2, 300])
a.append(4)
a.extend([5, 6])
a += array.array("h", [7])
print(a, len(a), a[1], a[-1], a[1:3], list(a), bytes(array.array("H", [258])), 300 in a)
a[0] = 99
a[1:3] = array.array("h", [8, 9, 10])
print(a, array.array("f", [1.5, 2.25]), array.array("d", [0.1]), array.array("B"), array.array("q", [2 ** 40]))
print(array.array("i", b"\x01\x00\x00\x00\x02\x00\x00\x00"), array.array("B", range(3)) + array.array("B", [9]))
b = bytearray(b"hello")
m = memoryview(b)
m[0] = 72
m[1:3] = b"EL"
print(b, len(m), m[4], list(m[1:4]), bytes(m[2:]), m == b"HELlo", m.itemsize, memoryview(array.array("i", [1, 2])).itemsize)
mb = memoryview(b"abcdef")
print(mb[1:5][1:3] == b"cd", bytes(mb[::2]) if False else bytes(mb[1:2]), list(memoryview(array.array("h", [-1, 2]))))
try:
    mb[0] = 1
except TypeError:
    print("TypeError")
print(b"lo" in b, 108 in b, bytearray(b"23") in b"1234")
for bad in (lambda: array.array("X"), lambda: array.array("i", [1])[5]):
    try:
        bad()
    except (ValueError, IndexError) as e:
        print(type(e).__name__)
