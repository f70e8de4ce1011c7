# The '0' flag: zero fill after the sign for numbers, on the right or left
# of strings (3.10+), grouped with ',' and '_'; __dir__; an exception class
# thrown into a 'yield from' reaches the delegate.
for spec in ["06s", "<06s", ">06s", "0s"]:
    print(spec, ("{:" + spec + "}").format("ab"))
for spec in ["05,", "06,", "09_", "+08,d", "<06", "x<06", "^09,"]:
    print(spec, ("{:" + spec + "}").format(12), ("{:" + spec + "}").format(-1234))
print("{:08.3f}|{:#010x}|{:012_b}".format(-3.14159, 255, 5))
for bad in ["{:+c}", "{:,s}", "{:=s}"]:
    try:
        print(bad.format("x" if "s" in bad else 65))
    except ValueError:
        print("ValueError", bad)


class Listed:
    def __dir__(self):
        return ["b", "a"]


print(dir(Listed()), "__dir__" in dir(Listed))


def inner():
    try:
        yield 1
    except GeneratorExit:
        print("inner exit")


def outer():
    try:
        yield from inner()
    except GeneratorExit:
        print("outer exit")
    yield 2


g = outer()
next(g)
print(g.throw(GeneratorExit))
