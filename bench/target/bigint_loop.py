# s+=i 100,000 times: past 2**30 the sum is a big int on a 32-bit part.
def bench():
    s = 0
    for i in range(100000):
        s += i
    return s
