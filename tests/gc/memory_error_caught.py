# args: -X heapsize=64K
# MemoryError is an ordinary exception: catch it, drop the data, carry on.
big = []
try:
    while True:
        big.append("filler " + str(len(big)))
except MemoryError:
    n = len(big)
    big = None
    print("caught, had", n > 100)
import gc
gc.collect()
print("works", list(range(3)))
