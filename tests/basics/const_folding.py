# MicroPython's compile-time constants: NAME = const(expr) at module or
# class level is computed when compiling and replaces later loads of NAME;
# names starting with _ are not stored at all.
from micropython import const

WIDTH = const(1 << 4)
_HIDDEN = const(WIDTH * 3 - 1)
NEG = const(-7 // 2)
MSG = const("text")


def area():
    return WIDTH * _HIDDEN


print(WIDTH, _HIDDEN, NEG, MSG, area())
print("WIDTH" in globals(), "_HIDDEN" in globals())


class Regs:
    CTRL = const(0x10)
    _STATUS = const(CTRL + 1)

    def both(self):
        return CTRL, _STATUS


print(Regs().both(), hasattr(Regs, "CTRL"), hasattr(Regs, "_STATUS"))
for bad in ["a = const(x)", "B = const(1)\nB = const(2)", "C = const(1 // 0)", "D = const(1 << -1)"]:
    try:
        exec(bad)
        print("accepted", bad)
    except SyntaxError:
        print("SyntaxError")


# Emitter decorators: bytecode and native both run as bytecode here; other
# @micropython.* decorators are a SyntaxError.
@micropython.native
def twice(x):
    return 2 * x


@micropython.bytecode
def name():
    return "bytecode"


print(twice(WIDTH), name())
for bad in ["@micropython.viper\ndef f(): pass", "@micropython.a.b\ndef f(): pass"]:
    try:
        exec(bad)
    except SyntaxError:
        print("SyntaxError")
