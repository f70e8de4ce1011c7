# integer arithmetic with Python's floor semantics
print(1 + 2 * 3, (1 + 2) * 3, 2 ** 10, -2 ** 2, (-2) ** 3)
print(7 // 2, -7 // 2, 7 // -2, -7 // -2)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3)
print(1 << 10, 1024 >> 3, -16 >> 2, 6 & 3, 6 | 3, 6 ^ 3, ~5, -(-5), +3)
print(0x1f, 0o17, 0b101, 1_000_000)
x = 10
x += 5
x -= 3
x *= 2
x //= 5
x %= 3
print(x)
print(abs(-4), min(3, 1, 2), max([4, 9, 2]), min("b", "a"))
