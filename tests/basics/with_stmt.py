class Ctx:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        print("enter", self.name)
        return self.name + "!"
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type is None, exc)
        return self.swallow

with Ctx("a") as v:
    print("body", v)

with Ctx("outer") as o, Ctx("inner") as i:
    print("both", o, i)

with Ctx("s", swallow=True):
    raise ValueError("swallowed")
print("after swallow")

try:
    with Ctx("r"):
        raise IndexError("kept")
except IndexError as e:
    print("propagated", e)

def ret():
    with Ctx("ret"):
        for k in range(3):
            with Ctx("loop" + str(k)):
                if k == 1:
                    return k
print("returned", ret())

for n in range(3):
    with Ctx("b" + str(n)):
        if n == 1:
            break
        if n == 0:
            continue
print("done")
