print(7 / 2, 1 / 3, 2 ** -1, 10 / 5, -7 / 2)
print(0.1 + 0.2, 1.5 * 2, 3.0 - 1, 1e16, 1.5e-5, 1e-4, 123.456, -0.0, 2.0 ** 0.5)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7 % -2.5)
print(1.0 == 1, 1 == 1.0, 0.5 < 1, 2 > 1.5, 1.5 <= 1.5, float("nan") == float("nan"))
print(float(), float(3), float("2.5"), float(" -1e3 "), float("inf"), float("-inf"))
print(int(3.9), int(-3.9), abs(-2.5), -(1.5), +2.0)
print(type(1.0), isinstance(2.5, float), isinstance(2, float))
print(bool(0.0), bool(0.1), max(1, 2.5, 2), min(3.5, -1))
print(repr(1.0), str(1e100), [0.25, 1.125])
nan = float("nan")
print(nan < 1, nan > 1, nan == nan)
d = {1: "int"}
d[1.0] = "float replaces"
print(d)
try:
    1.0 / 0
except ZeroDivisionError:
    print("ZeroDivisionError")
try:
    int(float("inf"))
except OverflowError:
    print("OverflowError")
try:
    float("abc")
except ValueError:
    print("ValueError")
