# asyncio: tasks, gather, Event, Lock, wait_for, cancellation, errors.
# Runs the same under CPython, whose output is the expectation.
import asyncio

log = []


async def worker(name, delay, n):
    for i in range(n):
        await asyncio.sleep(delay)
        log.append((name, i))
    return name * n


async def failing():
    await asyncio.sleep(0)
    raise ValueError("bad")


async def waiter(ev, name):
    print("waiting", name)
    await ev.wait()
    print("woken", name, ev.is_set())


async def locked(lock, name):
    async with lock:
        print("in", name, lock.locked())
        await asyncio.sleep(0.005)
        print("out", name)


async def forever():
    try:
        while True:
            await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("forever cancelled")
        raise


async def main():
    # Interleaving follows the sleeps.
    # Wake times 60, 120, 180 and 150, 300 ms: 30 ms apart at least, to
    # keep their order on a loaded machine (10 ms was not enough while the
    # fault-injection test collected and retried on a busy CI host).
    r = await asyncio.gather(worker("a", 0.06, 3), worker("b", 0.15, 2))
    print(r, log)

    # gather with an exception, and with return_exceptions.
    try:
        await asyncio.gather(worker("c", 0, 1), failing())
    except ValueError as e:
        print("gather raised", e)
    r = await asyncio.gather(failing(), worker("d", 0, 2), return_exceptions=True)
    print([type(x).__name__ if isinstance(x, Exception) else x for x in r])

    # Event wakes every waiter.
    ev = asyncio.Event()
    ts = [asyncio.create_task(waiter(ev, i)) for i in range(3)]
    await asyncio.sleep(0)
    print("set")
    ev.set()
    for t in ts:
        await t
    print("all done", [t.done() for t in ts])

    # Lock serialises.
    lock = asyncio.Lock()
    await asyncio.gather(*(locked(lock, i) for i in range(3)))
    print("lock free", not lock.locked())

    # wait_for: in time, then too late (the task is cancelled).
    print(await asyncio.wait_for(worker("e", 0.001, 1), 1))
    t = asyncio.create_task(forever())
    try:
        await asyncio.wait_for(t, 0.01)
    except asyncio.TimeoutError:
        print("timed out", t.done())

    # cancel() reaches a sleeping task; awaiting it raises CancelledError.
    t = asyncio.create_task(forever())
    await asyncio.sleep(0)
    print("cancel", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("awaited cancelled task")
    print("cancel again", t.cancel())

    # An exception from an awaited task reaches the awaiter.
    try:
        await asyncio.create_task(failing())
    except ValueError as e:
        print("task raised", e)

    # A task's result, awaited after it ended.
    t = asyncio.create_task(worker("f", 0, 1))
    await asyncio.sleep(0.01)
    print(t.done(), await t)
    print(asyncio.current_task() is not None)
    return "main result"


print(asyncio.run(main()))
