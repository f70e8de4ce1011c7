# gmtime and mktime far from 1970 (years 1 to 9999 and beyond), and mktime
# fields too large for the calendar: an OverflowError, never a wrapped result.
import time

for t in (-62135596800, -12219292801, 253402300799, 2**40, -(2**40)):
    g = tuple(time.gmtime(t))[:8]
    print(g, time.mktime(g + (0,)) == t)
for fields in ((2**40, 1, 1, 0, 0, 0, 0, 0, 0), (2000, 2**40, 1, 0, 0, 0, 0, 0, 0), (2000, 1, 2**62, 0, 0, 0, 0, 0, 0)):
    try:
        print(time.mktime(fields))
    except OverflowError:
        print("OverflowError")
