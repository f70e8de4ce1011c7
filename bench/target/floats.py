# Float arithmetic.
def bench():
    x = 0.0
    y = 1.5
    for i in range(5000):
        x += y * 0.5 - x / (i + 1)
        y = y * 0.999 + 0.001
    return int(x * 1000)
