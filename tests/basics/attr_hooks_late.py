# __setattr__ and __delattr__ defined in a class body, inherited, and set on
# classes (and so their existing subclasses) after instances exist.
class A:
    pass
class B(A):
    def __setattr__(self, n, v):
        print('B set', n)
        object.__setattr__(self, n, v)
class C(A):
    pass
a = A(); a.x = 1; print(a.x)
b = B(); b.y = 2; print(b.y)
c = C(); c.z = 3
def hook(self, n, v):
    print('A set', n)
A.__setattr__ = hook
a.q = 5
c.w = 6
class D(C):
    pass
D().k = 1
def dl(self, n):
    print('del', n)
C.__delattr__ = dl
del c.z
print(c.z)
class E:
    def __delattr__(self, n): print('E del', n)
e = E(); e.v = 1; del e.v; print(e.v)
