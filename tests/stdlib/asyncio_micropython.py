# asyncio's MicroPython side: sleep_ms, wait_for_ms, ThreadSafeFlag set from
# a scheduled callback, the uasyncio name, streams over a custom stream, and
# a scheduler that allocates nothing while tasks sleep.
import asyncio
import uasyncio
import micropython
import time

print(uasyncio is asyncio)


async def ticker(name, ms, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep_ms(ms)


spins = 0


async def spinner():
    global spins
    while True:
        spins += 1
        await asyncio.sleep_ms(5)


async def slow():
    await asyncio.sleep_ms(200)
    return "slow"


async def flag_waiter(flag):
    print("flag wait")
    await flag.wait()
    print("flag seen")


class Pipe:
    # A stream that takes 3 bytes a write and is always ready.
    def __init__(self):
        self.got = b""

    def write(self, buf):
        n = min(3, len(buf))
        self.got += bytes(buf[:n])
        return n

    def ioctl(self, req, arg):
        return arg if req == 3 else 0


async def main():
    t0 = time.ticks_ms()
    spin = asyncio.create_task(spinner())
    # Sleeping and switching tasks allocate nothing.
    micropython.heap_lock()
    await asyncio.sleep_ms(60)
    micropython.heap_unlock()
    print("elapsed ok", 60 <= time.ticks_diff(time.ticks_ms(), t0) < 1000, spins > 3)
    spin.cancel()

    print(await asyncio.wait_for_ms(ticker("z", 1, 1), 100))
    try:
        await asyncio.wait_for_ms(slow(), 10)
    except asyncio.TimeoutError:
        print("wait_for_ms timed out")

    flag = asyncio.ThreadSafeFlag()
    t = asyncio.create_task(flag_waiter(flag))
    await asyncio.sleep_ms(5)
    micropython.schedule(lambda f: f.set(), flag)
    await t

    p = Pipe()
    w = asyncio.StreamWriter(p, {})
    w.write(b"hello ")
    w.write(b"world")
    await w.drain()
    print(p.got)

    try:
        await asyncio.sleep_ms(time.ticks_add(0, -1) // 2 + 1)
    except OverflowError:
        print("OverflowError")


asyncio.run(main())
