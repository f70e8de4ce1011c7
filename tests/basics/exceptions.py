# Uncaught at the end; everything before must print.
print(ValueError("bad"), repr(KeyError("k")), TypeError().args, ValueError(1, 2).args)
def inner(x):
    return x + undefined_name
def outer():
    return inner(1)
print("before")
outer()
print("not reached")
