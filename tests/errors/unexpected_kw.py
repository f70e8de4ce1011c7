def g(x):
    return x
g(1, y=2)
