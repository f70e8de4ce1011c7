# micropython: const, opt_level (asserts and __debug__), heap_lock,
# schedule, stack_use. MicroPython-only, so the .exp is written by hand.
import micropython
from micropython import const

X = const(40) + const(2)
print(X, micropython.opt_level())
micropython.opt_level(1)
exec("assert False, 'compiled away'\nprint('after assert', __debug__)")
micropython.opt_level(0)
try:
    exec("assert False, 'kept'")
except AssertionError as e:
    print("AssertionError", e)

keep = [0] * 4
micropython.heap_lock()
keep[0] = 1 + 2  # small ints need no memory
try:
    grow = [1, 2, 3]
except MemoryError:
    print("MemoryError while locked")
print(micropython.heap_locked(), micropython.heap_unlock(), micropython.heap_locked())
print(len([1, 2, 3]))

seen = []


def cb(arg):
    seen.append(arg)


micropython.schedule(cb, "a")
micropython.schedule(cb, "b")
n = 0
while len(seen) < 2 and n < 100000:
    n += 1
print(seen)
s = micropython.schedule
try:
    list(map(s, [cb] * 5, range(5)))
except RuntimeError as e:
    print("RuntimeError", e)
for i in range(1000):
    pass
print(seen[2:])


def depth(n):
    return micropython.stack_use() if n == 0 else depth(n - 1)


print(type(micropython.stack_use()) is int, depth(5) >= 0)
micropython.alloc_emergency_exception_buf(100)
micropython.kbd_intr(3)
