# args: -X heapsize=64K
import gc
gc.collect()
base = gc.mem_alloc()
keep = []
for i in range(200):
    keep.append("x" * 20 + str(i))
grown = gc.mem_alloc()
print(grown > base)
keep = None
gc.collect()
print(gc.mem_alloc() < grown, gc.mem_free() + gc.mem_alloc() > 60000)
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
gc.threshold(4096)
print(gc.threshold())
gc.threshold(-1)
print(gc.threshold())
