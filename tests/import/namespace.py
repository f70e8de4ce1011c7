# A directory without __init__.py is a package all the same (as in
# MicroPython, and CPython's namespace packages): its modules import, with
# relative imports inside it, at any depth.
import sys

sys.path.insert(0, sys.path[0] + "/modules" if sys.path[0] else "modules")
import nspkg.mod

print(nspkg.mod.VALUE, nspkg.mod.__name__, nspkg.__name__)
print(nspkg.__path__[0].endswith("nspkg"), len(nspkg.__path__))
from nspkg.inner import leaf

print(leaf.LEAF, "nspkg.inner" in sys.modules)
import nspkg

print(nspkg.mod is sys.modules["nspkg.mod"], nspkg.helper.BASE)
try:
    import nspkg.missing
except ImportError:
    print("ImportError")
