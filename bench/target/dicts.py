# A dict of int keys and one of string keys, built and read.
def bench():
    d = {}
    for i in range(300):
        d[i] = i
    n = {}
    for i in range(100):
        n['k' + str(i)] = i
    s = 0
    for r in range(5):
        for i in range(300):
            s += d[i]
        for i in range(100):
            s += n['k' + str(i)]
    return s
