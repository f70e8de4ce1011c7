# args: -X heapsize=64K
# The first program fills the heap; the VM must keep working afterwards.
big = []
def fill():
    while True:
        big.append("filler " + str(len(big)))
fill()
