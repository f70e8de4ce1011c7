# List building, indexing, slicing and sorting.
def run(n):
    a = []
    x = 12345
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        a.append(x % 100000)
    b = sorted(a)
    a.sort(reverse=True)
    s = 0
    for i in range(0, n, 3):
        s += b[i] - a[i]
    c = b[10:1000] + a[:100]
    c.reverse()
    return s, len(c), b[n // 2], [v * 2 for v in b[:5]]


print(run(200000))
