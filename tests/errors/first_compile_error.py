# The first error in the code is the one reported when a later statement of
# the same function or module has another (the compiler keeps going past an
# expression's error without reporting it early).
srcs = [
    "x = (*a)\nreturn 1\n",
    "def f():\n    return\nx = (*c)\nbreak\n",
    "for i in x:\n    i += (*d)\ncontinue\n",
    "def g():\n    y = (*e)\n    break\n",
    "class C:\n    y = 1 + (*f)\n    return 4\n",
]
for s in srcs:
    try:
        compile(s, "<s>", "exec")
        print("compiled")
    except SyntaxError as e:
        # With no memory left for its message an exception comes without
        # one, and which error it was cannot be told: say so.
        if not e.args:
            raise MemoryError
        m = e.args[0]
        print("starred" if ("starred" in m or "*" in m) else "other")
