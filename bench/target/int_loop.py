# Small ints: the s=(s+i)&1023 loop, 100,000 times.
def bench():
    s = 0
    for i in range(100000):
        s = (s + i) & 1023
    return s
