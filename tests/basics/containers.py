l = [1, 2, 3]
l.append(4)
print(l, len(l), l[0], l[-1], l.pop(), l.pop(0), l)
l[0] = "x"
print(l, [] == [], [1] * 3, [1, 2] + [3])
del l[0]
print(l)
t = (1, "two", None)
print(t, len(t), t[1], () , (5,))
a, b, c = t
print(a, b, c)
[p, q] = "pq"
print(p, q)
x, y = y, x = 1, 2
print(x, y)
d = {"a": 1, "b": 2}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["b"], d.get("z"), d.get("z", 0), d.get("a"))
del d["b"]
print(d)
for k in d:
    print(k, d[k])
print(list(range(5)), list("ab"), tuple([1, 2]), list(), tuple(), dict())
print(range(3), range(1, 5, 2), len(range(0, 10, 3)), range(10)[-1])
nested = [[1, 2], [3, [4, 5]]]
print(nested[1][1][0])
m = {}
m[(1, 2)] = "tuple key"
m[1] = "int"
m[True] = "bool replaces int"
print(m)
