# round() of ints to tens and beyond (exact, halves to even), pow() with a
# None modulus, int() of literals in base 0.
for x in (2 ** 70, -(2 ** 70), 15, 25, -25, 123456789, 10 ** 30 + 5 * 10 ** 9):
    print(round(x, -1), round(x, -10), round(x), round(x, 2))
print(pow(-2, 3, None), pow(3, 4, 5), pow(2, 100, 10 ** 9 + 7))
for s in ("01", "0", "00", "0_0", "10", "0x1F", "0o17", "0b101", "-0x10", "0 1"):
    try:
        print(int(s, 0))
    except ValueError:
        print("ValueError", repr(s))
