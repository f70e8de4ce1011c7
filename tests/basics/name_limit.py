# Names are at most 255 bytes, as in MicroPython (its qstr length is a
# byte): a longer one is a RuntimeError wherever a name is made.


def name(n):
    return "n" + "x" * (n - 1)


for n in (255, 256):
    g = {}
    try:
        exec(name(n) + " = 7", g)
        print(n, "assigned", g[name(n)])
    except RuntimeError as e:
        print(n, "RuntimeError", e)


class C:
    pass


for n in (255, 256):
    c = C()
    try:
        setattr(c, name(n), 1)
        print(n, "attribute", getattr(c, name(n)))
    except RuntimeError as e:
        print(n, "RuntimeError", e)
    try:
        print(n, "key format", "%%(%s)d" % name(n) % {name(n): n})
    except RuntimeError as e:
        print(n, "RuntimeError", e)

# Strings that are not names have no such limit.
s = "y" * 1000
d = {s: 1}
print(len(s), d[s], len(s + s))
