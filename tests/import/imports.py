# import of .py files found on sys.path: modules, packages, from-imports,
# import *, sys.modules caching, attribute assignment, missing modules.
import sys

sys.path.insert(0, sys.path[0] + "/modules" if sys.path[0] else "modules")
import helper
import helper as h2

print(helper.X, helper.twice(5), h2 is helper, helper.__name__)
from helper import twice, X as Y

print(twice(Y))
import pkg.sub

print(pkg.NAME, pkg.sub.go())
from pkg.sub import go

print(go())
from helper import *

print(X, "_hidden" in globals())
print("helper" in sys.modules, type(helper).__name__)
try:
    import nothere
except ImportError as e:
    print("ImportError")
helper.Z = 5
print(helper.Z, helper.__file__.endswith("helper.py"))
