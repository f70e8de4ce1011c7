# `in` on a range: ints by arithmetic (any step), anything else by equality
# with each number, as CPython (1.0 == 1, so it is in range(3)).
print(1.0 in range(3), 2.5 in range(3), "a" in range(3), None in range(3))
print(5 in range(0, 10, 5), 10 in range(0, 10, 5), 3 in range(0, 10, 5))
print(-3 in range(0, -10, -3), -4 in range(0, -10, -3), 0 in range(0))
print(True in range(2), False in range(1, 3), 2 ** 40 in range(3))
