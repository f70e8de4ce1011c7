def f(a, b=2, *rest, c, d=4, **kw):
    return (a, b, rest, c, d, sorted_items(kw))

def sorted_items(d):
    out = []
    for k in ["x", "y", "z"]:
        if k in d:
            out.append((k, d[k]))
    return out

print(f(1, c=3))
print(f(1, 5, 6, 7, c=8))
print(f(c=1, a=2))
print(f(1, 2, 3, c=4, d=5, x=6, z=7))
args = [10, 20, 30]
opts = {"c": 40, "y": 50}
print(f(*args, **opts))
print(f(0, *args, c=1, **{"d": 2}))

def g(x, y):
    return x - y
print(g(y=1, x=10), g(5, y=2), g(*[7, 3]), g(**{"y": 1, "x": 2}))

def only_kw(*, flag=False, name):
    return (flag, name)
print(only_kw(name="n"), only_kw(flag=True, name="m"))

def varargs(*a):
    return a
print(varargs(), varargs(1), varargs(1, 2, *range(3)))

def varkw(**k):
    return len(k)
print(varkw(), varkw(a=1, b=2))

print("sep test", 1, 2, sep="-", end="!\n")
print(*[1, 2, 3], sep=", ")

for bad in ["g(1, 2, 3)", "g(1)", "g(1, x=2)", "g(1, 2, z=3)", "only_kw()"]:
    try:
        exec_me = bad
        if bad == "g(1, 2, 3)":
            g(1, 2, 3)
        elif bad == "g(1)":
            g(1)
        elif bad == "g(1, x=2)":
            g(1, x=2)
        elif bad == "g(1, 2, z=3)":
            g(1, 2, z=3)
        else:
            only_kw()
    except TypeError:
        print("TypeError for", bad)
