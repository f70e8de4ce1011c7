# del of parenthesised and bracketed target lists; bytes() refuses an
# encoding without a string.
a, b, c = 1, 2, 3
del (a, b)
print("a" in globals(), "b" in globals(), c)
x = [1, 2, 3, 4]
del [x[0], x[1]]
print(x)
d = {"k": 1, "j": 2}
del (d["k"],)
print(d)
for bad in (lambda: bytes([1, 2, 3], 1), lambda: bytes(b"ab", "utf-8")):
    try:
        bad()
    except TypeError:
        print("TypeError")
print(bytes("hé", "utf-8"), bytes([65, 66]), bytes(3))
