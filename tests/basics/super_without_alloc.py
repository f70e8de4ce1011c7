# super().method(...) allocates nothing (so it runs with the heap locked, as
# in MicroPython); a super object kept in a variable is its own object.
try:
    import micropython
except ImportError:

    class micropython:
        heap_lock = heap_unlock = staticmethod(lambda: 0)


class A:
    def foo(self, x):
        return x + 1

    @property
    def p(self):
        return "A.p"


class B(A):
    def foo(self, x):
        return super().foo(x) * 10


class C(B):
    def foo(self, x):
        return super().foo(x) + 5

    def kept(self):
        s = super()
        t = super()
        return s.foo(1), s is t, super().p


c = C()
micropython.heap_lock()
r = c.foo(1)
micropython.heap_unlock()
print(r, c.kept())
