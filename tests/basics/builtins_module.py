# The builtins as a module: the same objects as the bare names.
import builtins

print(builtins.len("abc"), builtins.abs is abs, builtins.int is int, builtins.ValueError is ValueError)
print("print" in dir(builtins), builtins.__name__)
from builtins import max as biggest

print(biggest(3, 9, 4))
