s = {3, 1, 2, 3}
print(len(s), sorted(s), 2 in s, 5 not in s, type(s) is set, set(), frozenset())
s.add(4)
s.discard(9)
s.remove(1)
print(sorted(s))
a, b = {1, 2, 3}, {2, 3, 4}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(a <= {1, 2, 3, 4}, a < a, a == {3, 2, 1}, a != b, {1} >= set())
print(sorted(a.union([5], (6,))), sorted(a.intersection(b)), sorted(a.difference({1})), sorted(a.symmetric_difference(b)))
print(a.issubset(range(5)), a.issuperset([1]), a.isdisjoint({9}))
f = frozenset([1, 2])
print(sorted(f), f == {1, 2}, sorted(f | {3}), type(f | {3}).__name__)
print(sorted({x % 3 for x in range(10)}), {c for c in "aa"})
c = a.copy()
c.update([7, 8])
print(sorted(c), sorted(a))
p = {5}
print(p.pop(), p)
try:
    p.pop()
except KeyError:
    print("KeyError")
try:
    {1}.remove(2)
except KeyError as e:
    print("KeyError", e.args)
print({1}, frozenset({2}), {"x"})
try:
    {[1]}
except TypeError:
    print("TypeError")
