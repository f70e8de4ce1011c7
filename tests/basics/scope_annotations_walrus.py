# A bare annotation makes a name local to its function; `:=` in a
# comprehension binds in the enclosing function (or a declared global), and
# may not rebind the comprehension's own loop variable.
x = "global"

def bare_annotation():
    x: int
    try:
        print(x)
    except NameError:
        print("NameError")

bare_annotation()

def walrus_leaks():
    any((last := i) for i in range(3))
    return last

print(walrus_leaks())

def walrus_global():
    global g
    print([g := i * 2 for i in range(3)])

walrus_global()
print(g)

for src in ["y := 1", "[i := 0 for i in range(2)]", "[[(i := 1) for i in range(2)] for j in range(2)]"]:
    try:
        exec(src)
        print("compiled", src)
    except SyntaxError:
        print("SyntaxError", src)
print((z := 5) + z)
