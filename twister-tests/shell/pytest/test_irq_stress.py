"""Interrupt handlers against the collector: edges and timer expiries that
arrive while Python collects and allocates, handlers that allocate, and a
handler that raises. The firmware must go on answering, with its heap whole."""

import pytest
from twister_harness import DeviceAdapter, Shell

from test_shell import is_native, py, repl


CHURN = (
    "def churn(ms):",
    "    t0 = time.ticks_ms(); rounds = 0",
    "    while time.ticks_diff(time.ticks_ms(), t0) < ms:",
    "        gc.collect()",
    "        junk = [str(i) * 3 for i in range(60)]",
    "        rounds += 1",
    "    return rounds",
)

HANDLER = (
    "def h(src):",
    "    n[0] += 1",
    "    keep.append(bytearray(96))",
    "    del keep[:-12]",
)


def test_pin_edges_during_collection(dut: DeviceAdapter, shell: Shell):
    if not is_native(dut):
        pytest.skip("the GPIO emulator is on native_sim")
    block = repl(dut)
    block("from machine import Pin", "import gc, time", "n = [0]; keep = []")
    block(*HANDLER)
    block(*CHURN)
    block("b = Pin(('gpio0', 8), Pin.IN)", "b.irq(h, Pin.IRQ_RISING | Pin.IRQ_FALLING)")
    dut.write(b"\x04")  # back to the shell, to start the edges
    shell.wait_for_prompt()
    assert any("started" in l for l in shell.exec_command("emul_pulse 8 150 4"))
    block = repl(dut)
    block("print('rounds', churn(1200) > 10, n[0] > 40, len(keep))")
    dut.readlines_until(regex=r"^rounds True True 12", timeout=30)
    # A handler that raises: the exception surfaces in the code it
    # interrupted, as in MicroPython, and the firmware goes on.
    block("def bad(p): raise ValueError('from irq')", "b.irq(bad, Pin.IRQ_RISING)")
    dut.write(b"\x04")
    shell.wait_for_prompt()
    shell.exec_command("emul_pulse 8 20 5")
    block = repl(dut)
    block("churn(800)")
    dut.readlines_until(regex="ValueError: from irq", timeout=30)
    # Calls already scheduled still run (and raise) once each.
    block("b.irq(None)")
    for _ in range(5):
        block("for i in range(1000): pass")
    block("gc.collect(); print('alive', len(keep), n[0] > 40)")
    dut.readlines_until(regex=r"^alive 12 True", timeout=30)


def test_timer_expiries_during_collection(dut: DeviceAdapter, shell: Shell):
    block = repl(dut)
    block("from machine import Timer", "import gc, time", "n = [0]; keep = []")
    block(*HANDLER)
    block(*CHURN)
    block("t = Timer(-1, mode=Timer.PERIODIC, period=2, callback=h)")
    block("r = churn(1000); t.deinit()")
    block("print('rounds', r > 5, n[0] > 50, len(keep))")
    dut.readlines_until(regex=r"^rounds True True 12", timeout=30)
