# math: values, integer results of any size, errors, __float__ and import *.
import math

print(math.pi, math.e, math.tau)
print(math.inf, -math.inf, math.isnan(math.nan))
for f in (math.sqrt, math.exp, math.log2, math.log10, math.sin, math.cos, math.tan,
          math.atan, math.sinh, math.cosh, math.tanh, math.asinh, math.fabs, math.erf,
          math.erfc, math.expm1, math.radians, math.degrees):
    print("%.12g" % f(0.5), "%.12g" % f(2))
print("%.12g %.12g %.12g" % (math.acos(0.5), math.asin(0.5), math.acosh(2)))
print("%.12g %.12g" % (math.atanh(0.5), math.lgamma(7.5)))
print(math.gamma(5), math.gamma(0.5) ** 2 - math.pi < 1e-12)
print(math.pow(2, 10), math.pow(2, 0.5) == math.sqrt(2))
print(math.atan2(1, 1) * 4 == math.pi, math.copysign(3, -0.0), math.fmod(7.5, 2))
print(math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.5), math.floor(7), math.ceil(True))
print(math.floor(1e20), math.ceil(-1e25), math.trunc(2.0 ** 70))
print(math.ldexp(3, 4), math.frexp(24.0), math.frexp(0.0), math.modf(3.25), math.modf(-2.0))
print(math.log(100), math.log(8, 2), math.log(1000, 10) - 3 < 1e-12)
print(math.factorial(0), math.factorial(10), math.factorial(30))
print(math.isfinite(1e308), math.isinf(1e308 * 10), math.isnan(0.0))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(0.0, 1e-12, abs_tol=1e-9))
print(math.isclose(1.0, 1.05, rel_tol=0.1))

for bad in (lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.log(-1, 2),
            lambda: math.acos(2), lambda: math.factorial(-1), lambda: math.log(2, 1),
            lambda: math.floor(math.inf), lambda: math.ceil(math.nan), lambda: math.exp("x"),
            lambda: math.isclose(1, 2, rel_tol=-1)):
    try:
        print(bad())
    except (ValueError, OverflowError, ZeroDivisionError, TypeError) as e:
        print(type(e).__name__)


class Celsius:
    def __init__(self, c):
        self.c = c

    def __float__(self):
        return self.c * 1.0


print(math.sqrt(Celsius(16)), float(Celsius(3)), "%.2f" % Celsius(2))

from math import *

print(sqrt(81), floor(pi), round(degrees(tau)))
