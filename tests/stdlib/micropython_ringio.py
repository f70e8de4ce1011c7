# micropython.RingIO as a stream between two tasks, its limits, and the
# memory statistics.
import asyncio
import gc
import micropython

rb = micropython.RingIO(8)
print(rb, rb.any(), rb.write(b"0123456789"), rb.any())
print(rb.read(3), rb.readline(), rb.any())
rb.write(b"ab\ncd")
print(rb.readline(), rb.read())
buf = bytearray(4)
rb.write(b"xyz")
print(rb.readinto(buf), buf)

# Over the caller's buffer, written in place.
store = bytearray(5)
rb = micropython.RingIO(store)
print(rb.write(b"hello"), store[:4] == b"hell")
n = None  # the global exists before the heap is locked (adding it may grow the dict)
micropython.heap_lock()
n = rb.write(b"")
micropython.heap_unlock()
print(n)

for bad in (0, 65535, bytearray(1), None):
    try:
        micropython.RingIO(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__)


async def main():
    ring = micropython.RingIO(5)
    s = asyncio.StreamWriter(ring)
    data = b"pyrite on zephyr " * 3

    async def writer():
        s.write(data)
        await s.drain()

    asyncio.create_task(writer())
    got = await s.readexactly(len(data))
    print(got == data, len(got))


asyncio.run(main())

gc.collect()  # what is measured next is live data, not garbage a collection could take
t, c, p = micropython.mem_total(), micropython.mem_current(), micropython.mem_peak()
big = [0] * 1000
print(micropython.mem_total() > t, micropython.mem_current() > c, micropython.mem_peak() >= micropython.mem_current())
