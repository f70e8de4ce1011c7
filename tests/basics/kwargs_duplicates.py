# A keyword given twice through ** is a TypeError.
def f(**kw):
    return sorted(kw.items())


print(f(a=1, **{"b": 2}), f(**{"a": 1}, **{"b": 2}))
for call in (lambda: f(**{"a": 1, "b": 2}, **{"b": 3}), lambda: f(b=1, **{"b": 2})):
    try:
        call()
    except TypeError:
        print("TypeError")
