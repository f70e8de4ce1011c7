# In-place operators, min/max with key and default, iter(f, sentinel), the
# __getitem__ iteration protocol, reversed(), set updates, list.index bounds.
a = [1]
b = a
a += [2, 3]
a += range(2)
a += a
print(a, a is b)
ba = bytearray(b"x")
ba2 = ba
ba += b"yz"
print(ba, ba is ba2)
s = {1, 2, 3}
t = s
s |= {4}
s -= {1}
s &= {2, 3, 4, 9}
s ^= {9}
print(sorted(s), s is t)
x = 5
x += 2
print(x)


class Acc:
    def __init__(self):
        self.v = []

    def __iadd__(self, o):
        self.v.append(o)
        return self


acc = Acc()
alias = acc
acc += 1
acc += 2
print(acc.v, acc is alias)
print(max(["aa", "b", "cccc"], key=len), min([3, 1, 2], key=lambda v: -v), max([], default="none"), min(4, 2, 8))
vals = [1, 2, 3, 0, 5]
pos = [0]


def step():
    pos[0] += 1
    return vals[pos[0] - 1]


print(list(iter(step, 0)))


class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError
        return i * 10


class Rev:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return "abc"[i]


print(list(Seq()), 20 in Seq(), list(reversed(Rev())), list(reversed([1, 2, 3])))
u = {1, 2, 3, 4}
u.difference_update({1}, [2])
print(sorted(u))
u.intersection_update([3, 9])
print(u)
u.symmetric_difference_update({3, 7})
print(u)
print([5, 6, 7, 5].index(5, 1), (1, 2, 1).index(1, 1), b"abc".find(98), list(enumerate("ab", start=1)))
print(__debug__)
print(range(4)[1::2], range(4)[1:-2:2], range(10)[::-1], range(0, 10, 3)[1:])


def gen_stop():
    yield 1
    raise StopIteration


try:
    list(gen_stop())
except RuntimeError as e:
    print("RuntimeError", e)
vals = [1, 2, 3]
if any((m := v) > 1 for v in vals):
    print("m", m)


def last_double():
    ys = [(last := v * 2) for v in range(3)]
    return ys, last


print(last_double(), [[(z := i * j) for j in range(2)] for i in range(3)], z)
