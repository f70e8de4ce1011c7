# A module's own __getattr__ (PEP 562) answers for the names it lacks, also
# for `from m import *` with __all__; __import__ with a level imports
# relative to the globals it is given; bad arguments to __import__.
import sys

sys.path.insert(0, sys.path[0] + "/modules" if sys.path[0] else "modules")
import lazypkg

print("lazypkg.funcs" in sys.modules)
print(lazypkg.lazy_fun(), "lazypkg.funcs" in sys.modules)
print(hasattr(lazypkg, "nothing"), getattr(lazypkg, "nothing", "default"))
try:
    lazypkg.nothing
except AttributeError as e:
    print("AttributeError", e)
from lazypkg import *

print(eager(), lazy_fun())
print(__import__("funcs", lazypkg.__dict__, None, ["lazy_fun"], 1).__name__)
print(__import__("lazypkg.funcs").__name__, __import__("lazypkg.funcs", None, None, ["x"]).__name__)
for args in [(1,), ("",), ("sys", None, None, None, -1), ("sys", "globals", None, None, 1)]:
    try:
        __import__(*args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__)
try:
    __import__("funcs", {"__name__": "toplevel"}, None, None, 1)
except ImportError:
    print("ImportError")
print(__import__("sys", "globals").__name__)
