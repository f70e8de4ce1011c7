from .core import VALUE as V


def f():
    return V * 2
