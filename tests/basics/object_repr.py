# The default repr of objects without __repr__: "<Name object at 0x...>",
# closed by ">" (the address varies, so only the shape is printed).
class A:
    pass


def shape(r, head):
    return r.startswith(head) and r.endswith(">") and r.count(">") == 1


print(shape(repr(A()), "<A object at 0x"))
print(shape(str(A()), "<A object at 0x"))


def gen():
    yield 1


print(shape(repr(gen()), "<generator object 'gen' at 0x"))
print(str([A()]).endswith(">]"))
