# != asks the left operand's __ne__, then its __eq__ (inverted), then the
# right operand's __ne__ and __eq__.
class OnlyEq:
    def __eq__(self, other):
        print("OnlyEq.__eq__")
        return True


class OnlyNe:
    def __ne__(self, other):
        print("OnlyNe.__ne__")
        return False


class Plain:
    pass


e, n, p = OnlyEq(), OnlyNe(), Plain()
for left, right in ((e, n), (n, e), (e, p), (p, e), (n, p), (p, n), (p, p)):
    print(type(left).__name__, type(right).__name__, left != right)
