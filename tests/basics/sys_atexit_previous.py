# sys.atexit returns the function registered before (None at first); the
# last one registered runs at exit, and None registers none.
import sys


def first():
    print("first: not run")


def last():
    print("last: run at exit")


print(sys.atexit(first))
print(sys.atexit(None) is first)
print(sys.atexit(last))
print("end of program")
