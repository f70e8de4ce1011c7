# A token the lexer refuses fails the whole compile, even where what came
# before it is a complete statement, and its error is the one reported.
srcs = [
    "x = 1 $",
    "x = 1\ny = '''abc",
    "if 1:\n    a = 1\n  b = 2\n",
    "f(a=1, b $)",
    "x = 'abc",
    "a = 1\n\x00",
    "x = [1, 2\n",
    "x = 0o9",
    "y = 2\nif y:\n        z = 3\n    w = 4\n",
]
for s in srcs:
    try:
        compile(s, "<s>", "exec")
        print("compiled", repr(s))
    except SyntaxError as e:
        print(type(e).__name__, repr(s))
for s in ["1 $", "2 +", "'x", "3 # fine"]:
    try:
        print(eval(s))
    except SyntaxError as e:
        print(type(e).__name__, repr(s))
