# args: -X heapsize=16K
# dir() of every built-in module in a 16 KiB heap, as on a small board (the
# REPL's Tab completion lists attributes the same way): each name tried costs
# no allocation when it is missing.
import sys

names = ["sys", "gc", "time", "math", "cmath", "struct", "array", "collections", "io", "os",
         "select", "json", "re", "heapq", "random", "binascii", "errno", "hashlib",
         "micropython", "deflate", "machine", "builtins"]
for name in names:
    try:
        m = __import__(name)
    except ImportError:
        continue
    d = dir(m)
    assert "__name__" in d, name
    for attr in d:
        getattr(m, attr)
    print(name, "ok")

class Many:
    def __init__(self):
        for i in range(20):
            setattr(self, "a%d" % i, i)
d = dir(Many())
print(len([a for a in d if a.startswith("a")]))
