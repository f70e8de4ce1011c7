# io: StringIO/BytesIO reading, writing, seeking and readinto; IOBase as the
# base of Python stream classes, which print(file=) writes to.
import io

b = io.BytesIO(b"hello world")
buf = bytearray(5)
print(b.readinto(buf), buf, b.tell())
print(b.read(), b.read(), b.seek(0), b.read(5))
b.seek(0, 2)
b.write(b"!")
print(b.getvalue(), b.seek(-3, 2), b.read())
try:
    b.seek(-1)
except (OSError, ValueError):
    print("seek before start refused")

s = io.StringIO("one\ntwo\nthree\n")
print([line for line in s])
s = io.StringIO()
print("a", 1, sep="-", end="!\n", file=s)
print(repr(s.getvalue()), isinstance(s, io.IOBase), isinstance(b, io.IOBase))


class Upper(io.StringIO):
    def shout(self):
        return self.getvalue().upper()


u = Upper()
u.write("quiet")
print(u.shout())


class Collect(io.IOBase):
    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(data)
        return len(data)


c = Collect()
print("x", "y", file=c)
print("".join(c.parts) == "x y\n", isinstance(c, io.IOBase))
