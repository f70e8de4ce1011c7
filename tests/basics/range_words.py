# Ranges over machine-word ints; bytes.fromhex takes whitespace only
# between digit pairs.
import sys
big = sys.maxsize
r = range(big - 3, big)
print(len(r), r[0] == big - 3, r[-1] == big - 1, big - 2 in r, big in r)
print(list(range(big - 2, big)) == [big - 2, big - 1])
print(len(range(0, 2**40, 3)), range(2**40)[2**39] == 2**39, range(-5, 5, 2)[1:3])
for s in ["ab cd", " ab\tcd\n", "a bcd", "abc"]:
    try:
        print(bytes.fromhex(s))
    except ValueError:
        print("ValueError", repr(s))
print(memoryview(b"\x01\xff").hex(), bytearray(b"ab").hex(":"))
