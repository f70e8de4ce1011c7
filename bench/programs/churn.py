# Allocation churn with many live objects: a ring of live records is kept
# while short-lived strings, tuples and lists come and go.
def run(n, live):
    ring = [None] * live
    t = 0
    for i in range(n):
        rec = (i, str(i), [i, i + 1])
        ring[i % live] = rec
        t += len(rec[1])
    return t, ring[0][0]


print(run(300000, 2000))
