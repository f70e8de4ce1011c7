# slice attributes and indices(), __next__ on builtin iterators, zip() with
# nothing to zip, and OSError's text as MicroPython writes it: the errno
# name after the number (CPython writes only the number or the text), so
# the two OSError lines of the .exp are MicroPython's.
s = slice(1, 10, 2)
print(s.start, s.stop, s.step, slice(5).start, slice(5).stop)
for sl in (slice(None), slice(2, None), slice(None, -3), slice(-20, 20, 3), slice(None, None, -1), slice(8, 1, -2)):
    print(sl.indices(10), list(range(10))[sl] == [list(range(10))[i] for i in range(*sl.indices(10))])
it = iter([1, 2])
print(it.__next__(), next(it))
g = (x * x for x in range(3))
print(g.__next__(), list(g))
print(list(zip()), list(zip([1, 2], "ab")))
try:
    slice(1, 2).indices(-1)
except ValueError:
    print("ValueError")
import errno

print(str(OSError(errno.ENOENT)))
print(str(OSError(errno.EIO, "disk")))
print(str(OSError(12345)))
