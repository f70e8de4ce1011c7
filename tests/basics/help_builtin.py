# help(): MicroPython's layout (`object X is of type T`, then `  name -- value`
# for each name of the module, class or builtin type).
import micropython

help(int)
help(micropython)

class A:
    x = 1
    def f(self):
        pass

help(A)
help(3)

# The built-in and frozen modules.
help("modules")
