# Arbitrary-precision ints: arithmetic, conversion, and the switch back to small ints.
a = 2 ** 100
b = -(3 ** 70)
print(a, b, a + b, a - b, a * b)
print(a // 7, a % 7, b // 7, b % 7, -a // -13, divmod(b, 1000))
print(a >> 3, a << 5, b >> 10, b << 1, 1 << 200)
print(a & b, a | b, a ^ b, ~a, -b, abs(b), +a)
print(a > b, a == 2 ** 100, a != a + 1, b < -1, 2 ** 64 > 1.5, 10 ** 20 == 1e20)
print(hex(a), oct(b), bin(2 ** 70 + 1))
print(int("123456789012345678901234567890"), int("-ffffffffffffffffffff", 16), int("0b" + "1" * 80, 0))
print(float(a), a / 3, int(1e30), int(-2.5e19))
print(str(10 ** 50)[:10], len(str(7 ** 300)), repr(-(10 ** 25)))
print(pow(7, 10 ** 18, 10 ** 9 + 7), pow(2, 100, 10 ** 12))
print((2 ** 80 - 2 ** 80) == 0, type(2 ** 80 // 2 ** 78), (2 ** 80) // (2 ** 78))
print((12345678901234567890).to_bytes(9, "big"), int.from_bytes(b"\xff" * 10, "little"))
print((-1234567).to_bytes(4, "little", signed=True), int.from_bytes(b"\xfe\xff", "little", signed=True))
print((2 ** 65).bit_length(), (255).bit_length(), hash(2 ** 90) == hash(2 ** 90))
x = 1
for i in range(70):
    x *= 3
print(x, x % 1000003, x // 3 ** 69)
print({2 ** 70: "big"}[2 ** 70], 2 ** 70 in [2 ** 70], sorted([2 ** 70, -2 ** 70, 5]))
print(9223372036854775807 + 1, -9223372036854775808 - 1, 4611686018427387904 * 2)
