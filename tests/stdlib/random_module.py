# random: ranges, reproducible seeding, errors (values themselves differ
# from CPython's generator, so only their properties are printed). As in
# MicroPython, getrandbits() takes at most 32 bits: the .exp has that line
# where CPython would return a number.
import random

random.seed(42)
a = [random.getrandbits(32) for _ in range(5)]
random.seed(42)
print(a == [random.getrandbits(32) for _ in range(5)], len(set(a)) > 1)
print(all(0 <= random.getrandbits(b) < 2 ** b for b in (1, 5, 16, 31, 32) for _ in range(50)))
print(random.getrandbits(0))
print(all(0 <= random.randrange(7) < 7 for _ in range(200)))
print(all(random.randrange(-5, 5, 3) in (-5, -2, 1, 4) for _ in range(200)))
print(all(random.randrange(10, 0, -4) in (10, 6, 2) for _ in range(200)))
print(sorted(set(random.randint(1, 3) for _ in range(300))))
print(sorted(set(random.choice("abc") for _ in range(300))), random.choice([9]))
f = [random.random() for _ in range(500)]
print(all(0.0 <= x < 1.0 for x in f), 0.3 < sum(f) / len(f) < 0.7)
print(all(-2.0 <= random.uniform(-2, 3) <= 3.0 for _ in range(200)))
counts = [0] * 4
for _ in range(4000):
    counts[random.randrange(4)] += 1
print(all(800 < c < 1200 for c in counts))
for bad in (lambda: random.getrandbits(-1), lambda: random.getrandbits(33), lambda: random.randrange(0),
            lambda: random.randrange(3, 1), lambda: random.randrange(1, 5, 0), lambda: random.randint(5, 1),
            lambda: random.choice([])):
    try:
        bad()
    except (ValueError, IndexError) as e:
        print(type(e).__name__)
