"""What the README promises of this sample: the REPL on the console at boot,
Ctrl-C stopping a loop, Ctrl-D soft-resetting the VM, pasted blocks
arriving whole, single-precision floats and 64-bit ints."""

import time
from pathlib import Path

import pytest
from twister_harness import DeviceAdapter


def enter(dut: DeviceAdapter, line: str):
    dut.write(line.encode() + b"\r")


def test_repl(dut: DeviceAdapter):
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=20)
    enter(dut, "print(6*7)")
    dut.readlines_until(regex="^42$", timeout=10)

    # A block pasted in one go: every byte reaches the compiler.
    dut.write(b"def f(n):\r    t = 0\r    for i in range(n):\r        t += i * i\r    return t\r\r")
    enter(dut, "print('f', f(10))")
    dut.readlines_until(regex="^f 285$", timeout=10)

    # MicroPython's minimal numbers: single-precision floats (the shortest
    # repr that reads back), and 64-bit ints (no further).
    enter(dut, "print((2 ** 62 - 1) * 2 + 1, 7 / 2, 1 / 3, 1e38 * 10, 2 ** 0.5)")
    dut.readlines_until(regex="^9223372036854775807 3.5 0.33333334 inf 1.4142135$", timeout=10)
    enter(dut, "2 ** 64")
    dut.readlines_until(regex=r"^OverflowError:", timeout=10)
    # As in MicroPython's minimal builds: tracebacks without line numbers,
    # and strs are their bytes (a UTF-8 'é' has length 2).
    enter(dut, "1 // 0")
    dut.readlines_until(regex=r'^File "<stdin>", in <module>$', timeout=10)
    enter(dut, "print('len', len('é'))")
    dut.readlines_until(regex="^len 2$", timeout=10)

    enter(dut, "while True: pass")
    time.sleep(1)
    dut.write(b"\x03")
    dut.readlines_until(regex="^KeyboardInterrupt", timeout=20)

    enter(dut, "x = 5")
    dut.write(b"\x04")
    dut.readlines_until(regex="^MPY: soft reboot$", timeout=10)
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=10)
    enter(dut, "x")
    # Built with CONFIG_PYRITE_TERSE_ERRORS: the type, with no message.
    dut.readlines_until(regex=r"^NameError:\s*$", timeout=10)
    dut.write(b"try:\r    1 + 'a'\rexcept TypeError as e:\r    print('args', e.args)\r\r")
    dut.readlines_until(regex=r"^args \(\)$", timeout=10)


def built_with(dut: DeviceAdapter, option: str) -> bool:
    config = Path(dut.device_config.build_dir) / "zephyr" / ".config"
    return f"{option}=y" in config.read_text().splitlines()


def test_sleep_without_threads(dut: DeviceAdapter):
    """The kernel here has no threads (CONFIG_MULTITHREADING=n): time.sleep
    idles the CPU until the time is up (periodic tick) or a one-shot timer
    ends it (tickless), and Ctrl-C still ends it early."""
    if not built_with(dut, "CONFIG_PYRITE_MODULE_TIME"):
        pytest.skip("this scenario is built without the time module")
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=20)
    enter(dut, "import time")
    enter(dut, "t = time.ticks_ms(); time.sleep(0.3); d = time.ticks_diff(time.ticks_ms(), t)")
    enter(dut, "print('slept', 300 <= d < 1000)")
    dut.readlines_until(regex="^slept True$", timeout=10)
    enter(dut, "time.sleep_ms(1); time.sleep_us(1); print('short')")
    dut.readlines_until(regex="^short$", timeout=10)
    enter(dut, "time.sleep(60)")
    time.sleep(1)
    dut.write(b"\x03")
    dut.readlines_until(regex="^KeyboardInterrupt", timeout=10)
    enter(dut, "print(6*7)")
    dut.readlines_until(regex="^42$", timeout=10)
