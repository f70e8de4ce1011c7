# Relative imports inside a package (`from . import m`, `from ..m import x`),
# from-imports of submodules not yet loaded, and relative imports that
# reach beyond the top-level package or come from a script.
import sys

sys.path.insert(0, sys.path[0] + "/modules" if sys.path[0] else "modules")
import relpkg

print(relpkg.VALUE, relpkg.util.f(), relpkg.NAME)
import relpkg.sub

print(relpkg.sub.DEEP, relpkg.sub.U is relpkg.util)
from relpkg import lazy

print(lazy.X, "relpkg.lazy" in sys.modules, relpkg.lazy is lazy)
try:
    import relpkg.sub.bad
except ImportError:
    print("ImportError beyond the top-level package")
try:
    from . import anything
except ImportError:
    print("ImportError in a script")
try:
    from relpkg import missing
except ImportError:
    print("ImportError for a name that is neither")
