# A builtin called with the wrong number of positional arguments: a
# TypeError with MicroPython's messages (fixed count, too few, too many).
calls = (
    lambda: abs(),
    lambda: abs(1, 2),
    lambda: isinstance(1),
    lambda: "a".upper(1),
    lambda: {}.get(),
    lambda: [].pop(1, 2),
    lambda: "a b".split(" ", 1, 2),
    lambda: divmod(1),
)
for f in calls:
    try:
        f()
    except TypeError as e:
        print(e)
print(abs(-2), "a b c".split(" ", 1), {}.get(1, 2))
