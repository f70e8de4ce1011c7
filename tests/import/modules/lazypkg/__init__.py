__all__ = ["eager", "lazy_fun"]
_where = {"lazy_fun": "funcs"}


def eager():
    return "eager"


# Names the package lacks are looked up here (PEP 562), importing the
# submodule that has them on first use, relative to this package.
def __getattr__(attr):
    mod = _where.get(attr)
    if mod is None:
        raise AttributeError(attr)
    value = getattr(__import__(mod, globals(), None, True, 1), attr)
    globals()[attr] = value
    return value
