# str.format, format(), % formatting and f-strings share one spec engine.
print("{} {}".format(1, "a"), "{1}{0}".format("x", "y"), "{a}-{b!r}".format(a=1, b="q"))
print("{:5}|{:<5}|{:^7}|{:>5}|{:05}|{:+d}|{:x}|{:#X}|{:b}|{:,}".format(12, 3, "ab", "z", -42, 7, 255, 255, 5, 1234567))
print("{:.3f} {:e} {:g} {:.2%} {:10.4} {} {:g} {:g}".format(3.14159, 12345.678, 0.00001234, 0.256, 2.0 / 3, 1.5, 1e20, 100.0))
print("{0[1]} {0[0]} {p[1]}".format([1, 2], p="xyz"), "{:{}}|".format(1, 4), "{{}}".format())
print("%d %s %r %5.2f %-4d| %x %o %e %g %c %%" % (42, "hi", "hi", 3.14159, 7, 255, 8, 1234.5, 0.0001, 65))
print("%(a)s and %(b)03d" % {"a": "x", "b": 5}, "%s" % (1,), "%s" % [1, 2], "%.3s" % "abcdef", "%*d" % (5, 3))
print(b"%s-%d" % (b"ab", 3), "%#x %#o %+.1e" % (255, 8, 12345.0), "%5s|%-5s|" % ("ab", "cd"))
print(format(3.5, "08.2f"), format(-2, "05"), format("s", "*^5"), format(10 ** 20, ","), format(2 ** 70, "x"))
print(format(1e100, "f")[:20], "{:g}".format(123456789.0), "{:.0f}".format(2.5), "%.0f" % 3.5, "{:G}".format(1e-10))
print(format(float("inf"), "f"), format(-0.0, "f"), format(1.0, ""), format(True), format(True, "d"))
x, w, name = 3.14159, 10, "bob"
print(f"hi {name}! {x:.2f} {x:{w}.3} {name!r:>8} {{lit}} {[1, 2][0]} {'a' + 'b'}")
print(f"{x}" "plain{}" f"{w:#x}", rf"\n{w}", f"{w:>{w}}|", f"{w * 2 = }"[-3:])


class Money:
    def __format__(self, spec):
        return "$" + spec


print(f"{Money():0.2}", "{:abc}".format(Money()))
for bad in ("{", "}", "{:d}", "{0}{}", "{x}"):
    try:
        print(bad.format("s"))
    except (ValueError, IndexError, KeyError) as e:
        print(type(e).__name__)
try:
    print("%d %d" % (1,))
except TypeError as e:
    print("TypeError")
