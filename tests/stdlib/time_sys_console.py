# time's calendar functions (UTC), wall clock, tick arithmetic limits;
# sys.stdout as a stream; input() at end of input.
import sys
import time

for t in (0, 86399, 86400, 951782400, 1000000000, 1709251199, 4102444800, -1, -86401):
    g = tuple(time.gmtime(t))[:8]
    print(t, g, time.mktime(g + (0,)) == t)
print(tuple(time.localtime(1234567890))[:6])
print(time.mktime((2024, 13, 1, 0, 0, 0, 0, 0, 0)) == time.mktime((2025, 1, 1, 0, 0, 0, 0, 0, 0)))
print(time.mktime((2024, 3, 0, 24, 0, 0, 0, 0, 0)) == time.mktime((2024, 3, 1, 0, 0, 0, 0, 0, 0)))
t0, n0 = time.time(), time.time_ns()
print(abs(t0 * 1e9 - n0) < 1e9, t0 > 1.6e9, isinstance(n0, int))

print(sys.stdout.write("written\n"))
sys.stdout.write("no newline")
sys.stdout.write(" then one\n")
sys.stdout.flush()
try:
    input()
except EOFError:
    print("EOFError")
