# Float arithmetic, math functions and formatting.
import math


def run(n):
    x = 0.0
    y = 1.5
    for i in range(n):
        x += math.sqrt(i) * 0.5 - y / (i + 1)
        y = y * 0.999 + 0.001
    z = [math.sin(i * 0.01) for i in range(1000)]
    return "%.6f %.6f %.6f" % (x, y, sum(z))


print(run(300000))
