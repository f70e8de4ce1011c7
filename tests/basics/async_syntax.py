# async def, await, async with and async for, driven by send(None).
class AW:
    def __await__(self):
        yield "step"
        return 5

async def inner(x):
    r = await AW()
    return x + r

class CM:
    async def __aenter__(self):
        print("enter")
        return "val"
    async def __aexit__(self, t, e, tb):
        print("exit", t.__name__ if t else None)
        return t is KeyError

class AI:
    def __init__(self): self.n = 0
    def __aiter__(self): return self
    async def __anext__(self):
        self.n += 1
        if self.n > 3:
            raise StopAsyncIteration
        return self.n

async def main():
    v = await inner(10)
    print("inner", v)
    async with CM() as c:
        print("body", c)
    async with CM():
        raise KeyError("swallowed")
    try:
        async with CM():
            raise ValueError("out")
    except ValueError as e:
        print("caught", e)
    async for i in AI():
        print("it", i)
    else:
        print("for-else")
    async for i in AI():
        if i == 2:
            break
    print("after break", i)
    return "done"

c = main()
try:
    while True:
        print("yielded", c.send(None))
except StopIteration as e:
    print("result", e.value)
