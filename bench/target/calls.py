# Calls with positional and keyword arguments.
def add(a, b=1, *, c=0):
    return a + b + c

def bench():
    t = 0
    for i in range(10000):
        t = add(t, i) & 0xFFFF
        t = add(t, c=3) & 0xFFFF
    return t
