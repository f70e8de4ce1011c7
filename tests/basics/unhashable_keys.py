# Mutable containers cannot be dict keys; immutable ones can.
for key in ([1], {1}, {"a": 1}, bytearray(b"a")):
    try:
        {key: 1}
        print("accepted", type(key).__name__)
    except TypeError as e:
        print("TypeError", e)
d = {}
try:
    d[[1, 2]] = 3
except TypeError as e:
    print("TypeError", e)
print({(1, 2): "t", "s": 1, frozenset([3]): "f", 4.5: "x", None: 0}[(1, 2)], len(d))
