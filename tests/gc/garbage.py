# args: -X heapsize=32K
# Allocates far more than the heap holds: only collection lets it finish.
total = 0
for i in range(20000):
    s = "garbage " + str(i)
    l = [s, s, [i, (i, i)]]
    d = {"k": l}
    total += len(d["k"])
print(total)
