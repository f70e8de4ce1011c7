# Dicts and sets past the small size, where lookup goes through the hash
# table: keys equal across types, deletion and reuse, user hashes.
d = {}
for i in range(1000):
    d[i] = i * i
print(len(d), d[999], d[0], 500 in d, 1000 in d)
# Equal keys of other types find the same entry.
print(d[1.0], d[True], d[False], d[2 + 0j])
d[3.0] = "three"
print(d[3], len(d))
# Deleting and inserting many times keeps the size bounded and order kept.
for i in range(0, 1000, 2):
    del d[i]
for i in range(2000, 2300):
    d[i] = -i
print(len(d), list(d)[:3], list(d)[-2:])
for i in range(2000, 2300):
    del d[i]
print(len(d), sum(d) % 100000)
# Strings made at run time find interned names and the other way round.
names = {}
for i in range(50):
    names["name" + str(i)] = i
print(names["name7"], names["name" + "49"], "name50" in names)
g = {"alpha": 1, "beta": 2}
for i in range(20):
    g["k%d" % i] = i
key = "".join(["al", "pha"])
print(g[key], g["beta"], g.get("gamma"))
# Tuples as keys.
t = {}
for i in range(30):
    t[(i, str(i))] = i
print(t[(7, "7")], (29, "29") in t, (1, 1) in t)
# Big ints and floats.
b = {}
for i in range(20):
    b[2 ** 70 + i] = i
print(b[2 ** 70 + 5], (2 ** 70 + 5) in b, 2.0 ** 70 in b, 2 ** 70 in b)


class Key:
    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return self.v % 3

    def __eq__(self, other):
        return isinstance(other, Key) and self.v == other.v


u = {Key(i): i for i in range(40)}
print(u[Key(17)], Key(40) in u, len(u))
# Sets.
s = set(range(100))
s.discard(50)
s.add(50.0)
print(len(s), 50 in s, 100 in s, {1, 2, 3} < s)
fs = frozenset("abcdefghijklmnop")
print("k" in fs, "z" in fs, len(fs))
# Unhashable keys.
try:
    d[[1]] = 2
except TypeError as e:
    print("TypeError", e)
try:
    [1] in d
except TypeError as e:
    print("TypeError", e)
# Clearing keeps working.
d.clear()
print(len(d), 5 in d)
d[5] = 1
print(d)
