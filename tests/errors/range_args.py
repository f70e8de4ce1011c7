# range() takes machine-word ints: other types are a TypeError naming the
# type, ints too big an OverflowError (MicroPython's messages).
for args in ((1.5,), ("a",), (10**20,), (0, 10**20), (0, 5, 2**70), (None, 3)):
    try:
        range(*args)
    except Exception as e:
        print(type(e).__name__, e)
print(range(2**40), range(True), list(range(-3, 3, 2)))
