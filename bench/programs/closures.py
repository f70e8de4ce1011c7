# Closures, lambdas and higher-order builtins.
def make_adder(k):
    def add(x):
        return x + k

    return add


def run(n):
    add3 = make_adder(3)
    t = 0
    for i in range(n):
        t = add3(t) & 0xFFFFF
    data = list(range(1000))
    for _ in range(20):
        t += sum(map(lambda v: v * 2, filter(lambda v: v & 1, data)))
    return t


print(run(600000))
