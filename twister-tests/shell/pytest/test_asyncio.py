"""asyncio on the device: a program typed into the `py` REPL runs two tasks
that sleep with sleep_ms and meet at an Event, on the kernel clock; then a
wait_for timeout cancels a task, and the frozen module is importable under
both its names."""

import time

from twister_harness import DeviceAdapter, Shell

from test_shell import py


def block(dut: DeviceAdapter, *lines: str):
    for line in lines + ("",):
        dut.write(line.encode() + b"\n")
        time.sleep(0.2)


def test_import_loads_frozen_bytecode(shell: Shell):
    """asyncio imports without compiling; the heap it takes is logged (the
    README's figure)."""
    py(shell, "import gc; gc.collect(); before = gc.mem_alloc()")
    py(shell, "import asyncio")
    out = py(shell, "gc.collect(); print('asyncio heap', gc.mem_alloc() - before)")
    print(out)
    assert any(l.startswith("asyncio heap ") and int(l.split()[-1]) > 0 for l in out), out
    assert "asyncio.py" in "\n".join(py(shell, "print(asyncio.__file__)"))


def test_two_tasks_sleep_and_meet_at_an_event(dut: DeviceAdapter, shell: Shell):
    dut.clear_buffer()
    dut.write(b"py\n")
    dut.readlines_until(regex="Ctrl-D to leave", timeout=10)
    block(dut, "import asyncio, time")
    block(dut, "log = []")
    block(dut, "async def producer(ev):",
          "    for i in range(3):",
          "        await asyncio.sleep_ms(40)",
          "        log.append('p%d' % i)",
          "    ev.set()")
    block(dut, "async def consumer(ev):",
          "    log.append('c waits')",
          "    await ev.wait()",
          "    log.append('c woke')",
          "    return len(log)")
    block(dut, "async def main():",
          "    ev = asyncio.Event()",
          "    t0 = time.ticks_ms()",
          "    c = asyncio.create_task(consumer(ev))",
          "    await producer(ev)",
          "    n = await c",
          "    return n, time.ticks_diff(time.ticks_ms(), t0)")
    block(dut, "n, ms = asyncio.run(main())")
    block(dut, "print('log', log, n, 110 <= ms < 2000)")
    dut.readlines_until(regex=r"^log \['c waits', 'p0', 'p1', 'p2', 'c woke'\] 5 True", timeout=20)
    dut.write(b"\x04")
    time.sleep(0.5)


def test_wait_for_cancels_a_slow_task(dut: DeviceAdapter, shell: Shell):
    dut.clear_buffer()
    dut.write(b"py\n")
    dut.readlines_until(regex="Ctrl-D to leave", timeout=10)
    block(dut, "import asyncio")
    block(dut, "async def slow():",
          "    try:",
          "        await asyncio.sleep_ms(5000)",
          "    except asyncio.CancelledError:",
          "        print('slow cancelled')",
          "        raise")
    block(dut, "async def main():",
          "    try:",
          "        await asyncio.wait_for_ms(slow(), 50)",
          "    except asyncio.TimeoutError:",
          "        print('timed out')")
    block(dut, "asyncio.run(main())")
    dut.readlines_until(regex="^slow cancelled", timeout=10)
    dut.readlines_until(regex="^timed out", timeout=10)
    dut.write(b"\x04")
    time.sleep(0.5)


def test_uasyncio_alias_and_gather(shell: Shell):
    py(shell, "import asyncio, uasyncio")
    py(shell, "async def sq(x): await asyncio.sleep_ms(x); return x * x")
    py(shell, "g = asyncio.gather(sq(10), sq(1), sq(5))")
    assert "True [100, 1, 25]" in py(shell, "print(uasyncio is asyncio, asyncio.run(g))")
