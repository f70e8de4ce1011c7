# Exceptions made when the heap cannot give them room, as MicroPython makes
# them from its emergency buffer: with the heap locked an exception keeps a
# few args (more are dropped); with the heap full the VM's own exceptions
# come without their message rather than turning into MemoryError.
import micropython

micropython.heap_lock()
small = ValueError(1, "two")
big = Exception(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)
micropython.heap_unlock()
print(repr(small), repr(big))


def f():
    pass


def exhaust_then_call():
    # In a function: its locals need no room (a new global might).
    lst = []
    while True:
        try:
            lst = [lst]
        except MemoryError:
            break
    try:
        f(unexpected_keyword_argument_with_a_long_name=1)
    except TypeError as e:
        err = e
    lst = None
    return err


err = exhaust_then_call()
print(type(err).__name__, len(err.args) <= 1)

# The REPL-style error path still works afterwards.
try:
    f(1)
except TypeError as e:
    print(e)

# `except ... as e` at module level binds and unbinds a global each time:
# that takes no new room, so it works with the heap locked.
pre = ValueError("pre")
micropython.heap_lock()
for i in range(50):
    try:
        raise pre
    except ValueError as e:
        n = i
micropython.heap_unlock()
print(n, "e" in globals())
