# args: -X heapsize=32K
# Reference cycles must be collected (no reference counting).
for i in range(5000):
    a = [i]
    b = [a]
    a.append(b)
    d = {}
    d["self"] = d
print("cycles collected")
