# cmath: principal values, branch cuts' signs, polar/rect round trips.
import cmath


def show(z):
    return "(%.10f%+.10fj)" % (z.real, z.imag)


for z in (1 + 1j, -4, 3j, -1 - 1e-300j, 2.5, -2 + 0.5j):
    print(show(cmath.sqrt(z)), show(cmath.exp(z)), show(cmath.log(z)), show(cmath.sin(z)), show(cmath.cos(z)))
    print(show(cmath.log10(z)), "%.10f" % cmath.phase(z), ["%.10f" % x for x in cmath.polar(z)])
    r, phi = cmath.polar(z)
    back = cmath.rect(r, phi)
    print(abs(back - z) < 1e-9)
print(cmath.pi, cmath.e, show(cmath.sqrt(-0.0)))


class Volts:
    def __complex__(self):
        return 3 + 4j


print(cmath.phase(Volts()) == cmath.phase(3 + 4j), cmath.polar(Volts())[0])
try:
    cmath.sqrt("x")
except TypeError:
    print("TypeError")
