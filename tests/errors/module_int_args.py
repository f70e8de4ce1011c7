# Module functions that take ints: other types are a TypeError naming the
# type, ints too big for a machine word an OverflowError (MicroPython's
# messages).
import binascii
import math
import micropython
import random
import time

calls = (
    lambda: time.sleep_ms("a"),
    lambda: time.sleep_us(2**70),
    lambda: time.mktime((2000, 1, 1, 0, 0, "a", 0, 0)),
    lambda: time.mktime((2000, 1, 1, 0, 0, 0)),
    lambda: random.getrandbits("x"),
    lambda: random.randrange(1.5),
    lambda: random.seed("s"),
    lambda: math.factorial(1.5),
    lambda: math.ldexp(1.0, "a"),
    lambda: micropython.kbd_intr("a"),
    lambda: binascii.crc32(b"a", "x"),
)
for f in calls:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
print(time.mktime((2000, 1, 1, 0, 0, 0, 0, 0)), math.factorial(5), binascii.crc32(b"a"))
