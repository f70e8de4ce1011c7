# Dicts and sets keyed by ints and strings: build, read, update, delete.
def run(n):
    d = {}
    for i in range(n):
        d[i] = i * 2
    s = 0
    for i in range(n):
        s += d[i]
    names = {}
    for i in range(n // 10):
        names["k" + str(i)] = i
    for i in range(n // 10):
        s += names["k" + str(i)]
    seen = set()
    for i in range(n):
        seen.add(i % 997)
    for i in range(0, n, 2):
        del d[i]
    return s, len(d), len(seen), 5 in seen


print(run(200000))
