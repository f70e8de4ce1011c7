# args: -X heapsize=64K
l = []
i = 0
while True:
    l.append("item number " + str(i))
    i += 1
