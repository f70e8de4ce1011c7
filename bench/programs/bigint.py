# Integers past the small-int range: addition, multiplication, division.
def run(n):
    s = 1 << 100
    for i in range(n):
        s += i
    f = 1
    for i in range(1, 400):
        f *= i
    q = f
    while q > 10 ** 20:
        q //= 12345678901
    return s, f % 1000000007, q


print(run(200000))
