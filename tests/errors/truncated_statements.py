# Statements cut short anywhere are SyntaxErrors (the parser stops at the
# first error and reads nothing after it), never a crash.
srcs = [
    "import a.", "import a.b.", "from a. import b", "from . import", "from .. import (",
    "import a as", "def f(a, b=", "def f(*, ", "class C(", "x = [1, 2", "lambda x:",
    "with a as", "for x in", "@dec\n", "try:\n    pass\nexcept", "a[1:", "f(**",
    "x = 1 if y else", "assert", "del", "global", "raise x from", "x = {1: ",
    "if x:\n", "while", "a.b.", "a(b=", "yield", "return (", "x: int =",
    "async def", "print(f'{", "x = (yield", "[x for x in", "a, *", "x = ''' ",
]
for s in srcs:
    try:
        compile(s, "<s>", "exec")
        print("compiled", repr(s))
    except SyntaxError:
        print("SyntaxError", repr(s))
