# Slicing a builtin sequence straight away allocates no slice object (so it
# works with the heap locked, as in MicroPython); a slice that reaches
# Python code (__getitem__, an iterator being stored) is a real,
# separate object each time.
try:
    import micropython
except ImportError:

    class micropython:
        heap_lock = heap_unlock = staticmethod(lambda: 0)


b = bytearray(range(10))
l = list(range(10))
t = tuple(l)
m = memoryview(b)
v = [7, 8]
micropython.heap_lock()
b[3:5] = b"aa"
m[5:7] = b"bb"
l[0:2] = v
micropython.heap_unlock()
print(b, l, t[2:5], l[::-3], b[-3:])


class C:
    def __getitem__(self, i):
        return i


s = C()[1:2]
print(s, C()[3:4] is s, s.start, s.stop)

x = [1, 2, 3, 4]

def g():
    yield x[1:2][0]


x[0:1] = g()
print(x)
