# collections.defaultdict: missing keys made by the factory; else a dict.
from collections import defaultdict, OrderedDict

groups = defaultdict(list)
for word in "apple avocado banana blueberry cherry".split():
    groups[word[0]].append(word)
print(groups)
print(groups["a"], len(groups), "z" in groups, groups.get("z"), len(groups))
counts = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(sorted(counts.items()), dict(counts) == {"m": 1, "i": 4, "s": 4, "p": 2})
nested = defaultdict(lambda: defaultdict(int))
nested["x"]["y"] += 2
print(nested["x"]["y"], isinstance(nested, dict))
plain = defaultdict(None, {"k": 1}, extra=2)
print(plain["k"], plain["extra"])
try:
    plain["missing"]
except KeyError:
    print("KeyError")
try:
    defaultdict(5)
except TypeError:
    print("TypeError")
print(dict(OrderedDict([("b", 1), ("a", 2)])), list(groups.keys()))
