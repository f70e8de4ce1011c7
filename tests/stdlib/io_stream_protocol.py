# Python classes as streams (io.IOBase with write/readinto), as MicroPython's
# stream layer uses them, and tracebacks printed to a stream.
import io
import json
import sys


class Sink(io.IOBase):
    def __init__(self, claim=None):
        self.got = []
        self.claim = claim

    def write(self, buf):
        self.got.append(buf)
        return len(buf) if self.claim is None else self.claim


s = Sink()
print("a", 1, sep="-", end="!\n", file=s)
print(s.got)
try:
    print("abc", file=Sink(claim=9))
except OSError as e:
    print("OSError", e.errno)


class Source(io.IOBase):
    def __init__(self, data):
        self.data = data

    def readinto(self, buf):
        n = min(len(buf), len(self.data))
        buf[:n] = self.data[:n]
        self.data = self.data[n:]
        return n


print(json.load(Source(b'{"k": [1, 2.5, "x"], "t": true}')))

try:
    1 / 0
except ZeroDivisionError as e:
    out = io.StringIO()
    sys.print_exception(e, out)
    lines = out.getvalue().split("\n")
    print(lines[0], lines[-2], len(lines))

b = io.BytesIO(8)
print(b.getvalue(), b.write(b"12345678"), b.getvalue())

# Not a stream: OSError, checked before the exception argument.
try:
    sys.print_exception(Exception, 1)
except OSError:
    print("not a stream: OSError")
