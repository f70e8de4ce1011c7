"""samples/c_driver: the frozen main.py reads what the C driver's timer
interrupt produced, the driver fills a bytearray in place and calls Python
back, the driver's module (defined outside Pyrite) imports like any other,
errors raised in C reach Python, a soft reset stops the driver (its capsule's
finaliser) and runs main.py again; on native_sim zephyr.sensor reads the
emulated BMI160."""

import time
from pathlib import Path

import pytest
from twister_harness import DeviceAdapter

MAIN_OUTPUT = [
    r"c_driver: readings 96 dropped 0 batches seen True",
    r"c_driver: range 1900 2100 steps \[-4, 4\]",
    r"c_driver: mean \d+ spread 200",
    r"c_driver: apply True",
]


def run(dut: DeviceAdapter, line: str, expect: str, timeout: float = 20) -> list[str]:
    """Types `line` at the REPL and waits for an output line matching
    `expect` (anchored, so the echoed input does not count)."""
    dut.write(line.encode() + b"\r")
    return dut.readlines_until(regex="^" + expect, timeout=timeout)


def boot(dut: DeviceAdapter) -> None:
    # Not anchored: the shell's prompt may start the first line.
    for line in MAIN_OUTPUT:
        dut.readlines_until(regex=line, timeout=30)
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=20)


def built_with(dut: DeviceAdapter, option: str) -> bool:
    config = Path(dut.device_config.build_dir) / "zephyr" / ".config"
    return f"{option}=y" in config.read_text().splitlines()


def test_frozen_application_and_c_driver(dut: DeviceAdapter):
    boot(dut)
    # The driver's module, defined in its own library, imports and is listed.
    run(dut, "import sensordrv, sys; print('mods', 'sensordrv' in sys.modules, sensordrv.Sampler, sensordrv.BATCH)",
        r"mods True <class 'Sampler'> 8")
    run(dut, "help('modules')", r".*sensordrv")
    # main.py and its library module came from flash.
    run(dut, "import stats; print('frozen', stats.__file__, stats.spread([3, 9, 4]))", r"frozen stats.py 6")

    # The C side fills the bytearray where it is: the same object, new bytes.
    run(dut, "got = []; s = sensordrv.Sampler(1, got.append); b = bytearray(16); before = bytes(b)", "")
    run(dut, "import time; time.sleep_ms(100); n = s.read_into(b); print('filled', n, b != before, len(b))",
        r"filled 8 True 16")
    run(dut, "print('scheduled', len(got) > 0, got[0] >= 8 if got else None)", r"scheduled True True")
    run(dut, "r = [b[2*i] | b[2*i+1] << 8 for i in range(n)]; print('first', r[:3])", r"first \[2100, 2096, 2092\]")

    # Errors raised in C, with the argument checks before C runs.
    # (EBUSY: MicroPython's errno names leave it out, so the number alone.)
    run(dut, "sensordrv.Sampler(1, print)", r"OSError: 16$")
    run(dut, "s.read_into(b'abcd')", r"TypeError: a writable buffer is required")
    run(dut, "sensordrv.Sampler(0, print)", r"ValueError: period must be a positive int \(ms\)")
    run(dut, "s.read_into()", r"TypeError: function takes 2 positional arguments but 1 were given")
    run(dut, "s.stats(1)", r"TypeError: function takes 1 positional arguments but 2 were given")
    run(dut, "s.nothing", r"AttributeError: 'Sampler' object has no attribute 'nothing'")
    # C calling back into Python: the exception is printed, C raises its own.
    lines = run(dut, "sensordrv.apply(lambda x: 1 // 0, b, 1)", r"RuntimeError: the function failed or returned a non-int")
    assert any(line.startswith("ZeroDivisionError: divide by zero") for line in lines), lines
    run(dut, "print('sum', sensordrv.apply(lambda x: x % 7, b, n) == sum(v % 7 for v in r))", r"sum True")
    # Ctrl-C in Python that C called stops the Python that called C.
    dut.write(b"def spin(x):\r    while True:\r        pass\r\r")
    dut.write(b"sensordrv.apply(spin, b, 1)\r")
    time.sleep(1)
    dut.write(b"\x03")
    lines = dut.readlines_until(regex="^KeyboardInterrupt", timeout=20)
    assert not any("RuntimeError" in line for line in lines), lines
    run(dut, "print('after', 6 * 7)", "after 42")
    # (Readings left unread meanwhile were dropped: the buffer holds 256.)
    run(dut, "s.stop(); t, d = s.stats(); print('stopped', t >= 8, t - d >= 8)", r"stopped True True")

    # A soft reset: the capsule's finaliser stops the sampler left running,
    # and main.py (frozen) runs again and can start its own.
    run(dut, "s2 = sensordrv.Sampler(5, print)", "")
    dut.write(b"\x04")
    dut.readlines_until(regex="^MPY: soft reboot", timeout=20)
    boot(dut)
    run(dut, "print(6 * 7)", "42")


def test_zephyr_module(dut: DeviceAdapter):
    boot(dut)
    run(dut, "import zephyr; print('up', zephyr.uptime_ms() > 0, zephyr.cycles_per_sec() > 0, zephyr.current_tid() != 0)",
        r"up True True True")
    run(dut, "t = zephyr.cycles(); print('cycles', isinstance(t, int))", r"cycles True")
    if not built_with(dut, "CONFIG_SENSOR"):
        pytest.skip("no sensor on this board (the emulated BMI160 is native_sim's)")
    # The emulated accelerometer's X axis, set by the driver, read through
    # Zephyr's sensor API.
    run(dut, "import zephyr.sensor as zs; acc = zs.Sensor('bmi@68'); sensordrv.emulated_accel_x(1500); acc.measure()", "")
    run(dut, "print('accel', acc.get_millis(zs.ACCEL_X), round(acc.get_float(zs.ACCEL_X), 2), acc.get_int(zs.ACCEL_X))",
        r"accel 1499 1.5 1")
    run(dut, "sensordrv.emulated_accel_x(-2500); acc.measure(); print('accel', acc.get_micros(zs.ACCEL_X) // 1000)",
        r"accel -250[01]")
    run(dut, "zs.Sensor('nothing')", r"ValueError: no such sensor device")
    run(dut, "print(type(acc), isinstance(acc, zs.Sensor))", r"<class 'Sensor'> True")
