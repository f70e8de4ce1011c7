# Sorting keeps its items alive while comparisons run Python code that
# empties the list and collects: the sorted list still holds them all.
import gc


class Box:
    def __init__(self, v):
        self.v = v
        self.tag = [v] * 4

    def __lt__(self, other):
        if lst:
            lst.clear()
            gc.collect()
            # New objects may reuse freed blocks if the items were not rooted.
            junk = [[i] * 4 for i in range(50)]
        return self.v < other.v


def fresh():
    # Nothing else refers to the boxes: only the list, until it is emptied.
    return [Box(v) for v in (5, 3, 9, 1, 7, 2, 8)]


lst = fresh()
lst.sort()
print([b.v for b in lst], [b.tag[0] for b in lst])
lst = fresh()
lst.sort(reverse=True)
print([b.v for b in lst], [b.tag[3] for b in lst])
lst = fresh()
lst.sort(key=lambda b: -b.v)
print([b.v for b in lst])

# Small ints, mixed ints and floats, strings, stability with a key.
print(sorted([3, -1, 2**40, 0, -2**40, 7]), sorted([2.5, 1, -3, 2]))
print(sorted(["pear", "apple", "fig"]), sorted([(1, "b"), (0, "z"), (1, "a")], key=lambda t: t[0]))
