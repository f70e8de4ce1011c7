# Reflected operators (__radd__ and friends) when the left operand is a
# builtin; strip() of text with nothing to strip gives the same object.
class Money:
    def __init__(self, v):
        self.v = v

    def __radd__(self, other):
        return Money(other + self.v)

    def __rsub__(self, other):
        return Money(other - self.v)

    def __rmul__(self, other):
        return Money(other * self.v)

    def __rpow__(self, other):
        return Money(other ** self.v)

    def __rlshift__(self, other):
        return Money(other << self.v)

    def __repr__(self):
        return "Money(%r)" % self.v


m = Money(3)
print(2 + m, 10 - m, 4 * m, 2 ** m, 1 << m, 1.5 + m)
try:
    "x" / m
except TypeError:
    print("TypeError")
s = "abc"
b = b"xyz"
print(s.strip() is s, s.lstrip("z") is s, b.rstrip() is b, " a ".strip())
