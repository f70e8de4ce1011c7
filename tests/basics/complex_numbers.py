# complex: literals, arithmetic, pow, repr, constructor, attributes, errors.
a = 1 + 2j
b = complex(3, -4)
print(a, b, a + b, a - b, a * b, a / b, -a, +a, abs(b), a == complex(1, 2), a != b, 2j, -2j, 0j, complex())
print(a ** 2, a ** -1, (1j) ** 2, 2 ** (1j), a ** 0.5, b.real, b.imag, b.conjugate(), complex("1+2j"), complex("-3.5j"), complex(" (2-1j) "))
print(a * 2, 2 * a, a + 1.5, 1.5 - a, a / 2, True + 1j, complex(1.5), complex(1j, 1j), bool(0j), bool(1j))
print(repr(complex(-0.0, 1)), complex(1e20, 1e-5), complex(float("inf"), float("nan")), hash(complex(3, 0)) == hash(3))
for bad in (lambda: a // 2, lambda: a % 2, lambda: a / 0, lambda: complex("x"), lambda: a < b):
    try:
        bad()
    except (TypeError, ZeroDivisionError, ValueError) as e:
        print(type(e).__name__)
# complex() through __complex__ or __float__; a NaN complex is not equal to
# itself; format 'n' on floats is 'g'.
class C:
    def __complex__(self):
        return 2 + 3j


class F:
    def __float__(self):
        return 1.5


class Bad:
    def __complex__(self):
        return "x"


print(complex(C()), complex(F()), complex(F(), 1))
try:
    complex(Bad())
except TypeError:
    print("TypeError")
z = complex(float("nan"), 1)
print(z == z, z != z)
print("{:10.4n}|{:n}".format(123.456, 2.5))
