# heapq: the same heap layout as CPython after pushes, heapify and pops.
import heapq

PUSHES = [[4, 12, 1, 2, 17, 3, 11, 18, 1, 16, 6], [2, 13], [2, 7, 2, 17, 13, 1, 18, 3, 7, 18, 1, 18, 18, 12], [7, 1], [4, 9, 13, 4, 17, 3, 18, 9, 17, 5, 3, 18, 18, 6, 11, 3, 17, 2], [1, 19, 6, 15, 17, 13, 10, 14, 18, 14, 11, 9, 7, 5, 7, 2, 18, 9, 16]]
LISTS = [[21, 46, 28, 18, 38, 4, 7, 32, 26, 10, 48, 21, 9, 31, 26], [42], [48, 35], [20, 21, 44, 22, 38, 31, 37, 29, 4, 5, 17, 30, 44, 42, 4, 3, 46, 44], [41, 36, 43, 28, 18, 45, 24, 42, 22], []]
for seq in PUSHES:
    h = []
    for x in seq:
        heapq.heappush(h, x)
    print(h)
for l in LISTS:
    heapq.heapify(l)
    print(l)
    print([heapq.heappop(l) for _ in range(len(l) // 2)], l)


class Job:
    def __init__(self, pri, name):
        self.pri, self.name = pri, name

    def __lt__(self, other):
        return self.pri < other.pri


q = []
for p, n in ((3, "c"), (1, "a"), (2, "b")):
    heapq.heappush(q, Job(p, n))
print("".join(heapq.heappop(q).name for _ in range(3)))
h = [(2, "x"), (1, "y")]
heapq.heapify(h)
print(heapq.heappop(h))
for bad in (lambda: heapq.heappop([]), lambda: heapq.heappush((), 1), lambda: heapq.heapify("ab")):
    try:
        bad()
    except (IndexError, TypeError) as e:
        print(type(e).__name__)
