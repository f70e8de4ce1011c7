# A `*` argument after as many arguments as a small int has bits is a
# SyntaxError('too many args'), as in MicroPython (which marks each `*`
# argument in a small int); anything before that works.
import sys


def f(*args):
    return len(args)


def call(n):
    src = "f({}, *(100, 101), 102)".format(",".join(str(i) for i in range(n)))
    try:
        return eval(src)
    except SyntaxError as e:
        return "SyntaxError: " + str(e)


print(call(5))
print(call(28))
bits = 63 if sys.maxsize > 2**32 else 31
print(call(bits - 2) == bits + 1)
print(call(bits - 1))
print(call(200))


# A function's bytecode is at most 64 KB (jumps are 16-bit): beyond is
# RuntimeError('bytecode overflow'), MicroPython's error for a jump out of reach.
body = " try:\n  f(1, 2, 3)\n except Exception:\n  pass\n"
try:
    exec("c = 0\nif c:\n" + body * 5000 + "else:\n print('ran')\n")
except RuntimeError as e:
    print("RuntimeError", e)
exec("c = 0\nif c:\n" + body * 50 + "else:\n print('ran')\n")
