# sys.exc_info() inside and outside an except block; sys.atexit runs its
# function when the program ends.
import sys


def show():
    t, v, tb = sys.exc_info()
    print(t, v.args if v else v, tb)


try:
    raise ValueError("value", 123)
except ValueError:
    show()
show()
sys.atexit(lambda: print("at exit:", state))
state = "set later"
print("main done")
