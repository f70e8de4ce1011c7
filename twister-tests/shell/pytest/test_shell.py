"""Pyrite in the Zephyr shell, driven as a user would: `py <code>` lines, the
`py` REPL, Ctrl-C, heap exhaustion, and machine.Pin against the GPIO model."""

import re
import time

import pytest
from twister_harness import DeviceAdapter, Shell


def py(shell: Shell, code: str, timeout: float = 20.0) -> list[str]:
    """Runs one line through `py` and returns the output lines (prompt and echo removed).
    Keep `code` under ~68 characters: the shell wraps its echo at 80 columns."""
    assert len(code) < 69, "the shell would wrap this line"
    lines = shell.exec_command(f"py {code}", timeout=timeout)
    return [strip(l) for l in lines if "uart:~$" not in l and f"py {code}" not in l]


def strip(line: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line).strip()


def repl(dut: DeviceAdapter):
    """Enters the `py` REPL; returns a function that types a block of lines
    into it (an empty line ends the block)."""
    dut.clear_buffer()
    dut.write(b"py\n")
    dut.readlines_until(regex="Ctrl-D to leave", timeout=10)

    def block(*lines):
        for line in lines + ("",):
            dut.write(line.encode() + b"\n")
            time.sleep(0.2)

    return block


def is_native(dut: DeviceAdapter) -> bool:
    return dut.device_config.type == "native"


def test_print_and_arithmetic(shell: Shell):
    assert "42" in py(shell, "print(6*7)")
    assert "7 -4 1024" in py(shell, "print(7 // 1, -7 // 2, 2 ** 10)")
    assert "3.5 0.30000000000000004 1e+16 -2.0" in py(shell, "print(7 / 2, 0.1 + 0.2, 1e16, -7.5 // 5)")
    # An expression's value is shown, as at a REPL.
    assert "'ab'" in py(shell, "'a' + 'b'")


def test_quotes_and_spaces_reach_python(shell: Shell):
    assert "hello world !" in py(shell, 'print("hello world", "!")')


def test_language_subset(shell: Shell):
    py(shell, "def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)")
    assert "55" in py(shell, "print(fib(10))")
    py(shell, "d = {'k': [1, 2, 3]}")
    assert "[1, 2, 3] 3" in py(shell, "print(d['k'], len(d['k']))")
    py(shell, "acc = []")
    py(shell, "for i in range(5): acc.append(i * i)")
    assert "[0, 1, 4, 9, 16]" in py(shell, "print(acc)")
    assert "True False" in py(shell, "print(1 < 2 < 3, 'x' in 'abc')")
    assert "[0, 1, 4, 9] {'a': 1, 'b': 1}" in py(shell, "print([x * x for x in range(4)], {k: 1 for k in 'ab'})")
    py(shell, "f = lambda a, b=2, *r, **k: (a, b, r, len(k))")
    assert "(1, 3, (4,), 1)" in py(shell, "print(f(1, 3, 4, z=5))")
    assert "[3, 2] llo" in py(shell, "print([1, 2, 3][::-1][:2], 'hello'[2:])")
    py(shell, "def gen(n): yield from range(n); yield 'end'")
    assert "[0, 1, 2, 'end'] 6" in py(shell, "print(list(gen(3)), len(list(x for x in 'abcdef')))")


def test_state_persists_between_lines(shell: Shell):
    py(shell, "counter = 41")
    py(shell, "counter += 1")
    assert "42" in py(shell, "print(counter)")


def test_exceptions_print_tracebacks(shell: Shell):
    out = py(shell, "1 // 0")
    assert "Traceback (most recent call last):" in out
    assert "ZeroDivisionError: divide by zero" in out
    assert "NameError: name 'nope' isn't defined" in py(shell, "nope")
    out = py(shell, "x = (1 +")
    assert "SyntaxError: invalid syntax" in out


def test_recursion_is_bounded(shell: Shell):
    py(shell, "def down(n): return down(n + 1)")
    out = py(shell, "down(0)")
    assert "RuntimeError: maximum recursion depth exceeded" in out
    # Short enough that the shell does not wrap the echoed line (80 columns).
    nested = "x = " + "(" * 25 + "1" + ")" * 25
    assert "SyntaxError: too deeply nested" in py(shell, nested)
    assert "ok" in py(shell, "print('ok')")


def test_heap_exhaustion_is_memory_error_and_shell_survives(shell: Shell):
    py(shell, "junk = []")
    out = py(shell, "while True: junk.append('some text ' + str(len(junk)))", timeout=60)
    assert "MemoryError: memory allocation failed" in out
    # The VM and the shell both keep working, and the memory comes back.
    assert "alive" in py(shell, "junk = None; import gc; gc.collect(); print('alive')")
    assert "True" in py(shell, "print(gc.mem_free() > gc.mem_alloc())")
    lines = shell.exec_command("kernel version")
    assert any("Zephyr version" in l for l in lines)


def test_garbage_is_collected(shell: Shell):
    # Far more allocation than the heap holds, nothing kept: must finish.
    py(shell, "t = 0")
    out = py(shell, "for i in range(3000): t += len([str(i), (i, i)])", timeout=60)
    assert not any("Error" in l for l in out)
    assert "6000" in py(shell, "print(t)")


def interrupt_line(dut: DeviceAdapter, shell: Shell, command: bytes):
    """Types `command`, then Ctrl-C while it runs: KeyboardInterrupt, and the
    shell goes on."""
    dut.clear_buffer()
    dut.write(command)
    time.sleep(1.5)
    dut.write(b"\x03")
    dut.readlines_until(regex="KeyboardInterrupt", timeout=20)
    lines = shell.exec_command("kernel version")
    assert any("Zephyr version" in l for l in lines)


def test_reference_cycles_are_collected(shell: Shell):
    # Pairs of objects pointing at each other, far more than the heap holds:
    # only a tracing collector gets them back.
    py(shell, "class Node: pass")
    out = py(shell, "for i in range(1500): a = Node(); b = Node(); a.o = b; b.o = a", timeout=60)
    assert not any("Error" in l for l in out), out
    assert "True" in py(shell, "import gc; gc.collect(); print(gc.mem_free() > gc.mem_alloc())")


def test_ctrl_c_stops_a_running_line(dut: DeviceAdapter, shell: Shell):
    interrupt_line(dut, shell, b"py while True: pass\n")


def test_repl_runs_blocks_and_ctrl_c_and_ctrl_d(dut: DeviceAdapter, shell: Shell):
    # Prompts (">>> ", "... ") end no line, so wait for output lines instead.
    dut.clear_buffer()
    dut.write(b"py\n")
    dut.readlines_until(regex="Ctrl-D to leave", timeout=10)
    for line in (b"def sq(x):\n", b"    return x * x\n", b"\n", b"print('sq', sq(12))\n"):
        dut.write(line)
        time.sleep(0.3)
    dut.readlines_until(regex="^sq 144", timeout=10)
    dut.write(b"while True: pass\n")
    time.sleep(1.5)
    dut.write(b"\x03")
    dut.readlines_until(regex="KeyboardInterrupt", timeout=20)
    dut.write(b"print('still', sq(3))\n")
    dut.readlines_until(regex="^still 9", timeout=10)
    dut.write(b"\x04")
    time.sleep(0.5)
    # Back in the shell.
    lines = shell.exec_command("kernel version")
    assert any("Zephyr version" in l for l in lines)


def test_pin_drives_the_emulated_gpio(dut: DeviceAdapter, shell: Shell):
    if not is_native(dut):
        pytest.skip("the GPIO emulator is on native_sim")
    py(shell, "import machine")
    py(shell, "led = machine.Pin('led0')")
    py(shell, "led.on()")
    assert "emul_out 0 = 1" in [strip(l) for l in shell.exec_command("emul_out 0")]
    py(shell, "led.off()")
    assert "emul_out 0 = 0" in [strip(l) for l in shell.exec_command("emul_out 0")]
    py(shell, "led.toggle()")
    assert "emul_out 0 = 1" in [strip(l) for l in shell.exec_command("emul_out 0")]
    assert "1" in py(shell, "print(led.value())")
    py(shell, "p = machine.Pin(('gpio0', 5), machine.Pin.OUT, value=1)")
    assert "emul_out 5 = 1" in [strip(l) for l in shell.exec_command("emul_out 5")]
    # The GPIO emulator has no high drive (nRF's GPIOs have): said so.
    out = py(shell, "p.init(drive=machine.Pin.DRIVE_1)")
    assert any("ValueError: pin ('gpio0', 5) can't be configured that way" in l for l in out), out


def test_pin_irq_runs_the_handler_after_the_edge(dut: DeviceAdapter, shell: Shell):
    if not is_native(dut):
        pytest.skip("the GPIO emulator is on native_sim")
    py(shell, "from machine import Pin")
    py(shell, "hits = []")
    py(shell, "b = Pin(('gpio0', 7), Pin.IN)")
    py(shell, "b.irq(lambda p: hits.append(p.value()), Pin.IRQ_RISING)")
    # Two rising edges and a falling one, made by the GPIO emulator in its
    # interrupt path: the handler runs once the Python thread next checks.
    for level in (1, 0, 1):
        assert f"emul_in 7 = {level}: 0" in [strip(l) for l in shell.exec_command(f"emul_in 7 {level}")]
    py(shell, "for i in range(3): pass")
    assert "[1, 1]" in py(shell, "print(hits)")
    py(shell, "b.irq(None)")
    shell.exec_command("emul_in 7 0")
    shell.exec_command("emul_in 7 1")
    py(shell, "for i in range(3): pass")
    assert "[1, 1]" in py(shell, "print(hits)")


def test_soft_spi_on_emulated_pins(dut: DeviceAdapter, shell: Shell):
    if not is_native(dut):
        pytest.skip("the GPIO emulator is on native_sim")

    def out(pin: int) -> str:
        return next(strip(l) for l in shell.exec_command(f"emul_out {pin}") if f"emul_out {pin} =" in l)

    py(shell, "from machine import Pin, SoftSPI")
    py(shell, "sck, mosi = Pin(('gpio0', 12)), Pin(('gpio0', 13))")
    py(shell, "s = SoftSPI(sck=sck, mosi=mosi, miso=Pin(('gpio0', 14)))")
    # (The emulator takes an input level once the pin is an input.)
    shell.exec_command("emul_in 14 1")
    # MISO held high by the test reads as ones; the clock idles low.
    assert "b'\\xff\\xff'" in py(shell, "print(s.read(2))")
    assert out(12) == "emul_out 12 = 0"
    shell.exec_command("emul_in 14 0")
    py(shell, "s.write(b'\\x01')")
    # The last bit out (MSB first) stays on MOSI.
    assert out(13) == "emul_out 13 = 1"
    assert "b'\\x00'" in py(shell, "print(s.read(1, 0xfe))")
    assert out(13) == "emul_out 13 = 0"
    py(shell, "s.init(polarity=1)")
    assert out(12) == "emul_out 12 = 1"
    # The GPIO emulator has no open-drain mode, which SoftI2C needs: said so.
    out_i2c = py(shell, "from machine import SoftI2C; SoftI2C(sck, mosi)")
    assert any("ValueError: pin ('gpio0', 12) can't be configured that way" in l for l in out_i2c), out_i2c


def test_timer_periodic_and_one_shot(shell: Shell):
    py(shell, "from machine import Timer")
    py(shell, "import time")
    py(shell, "n = []")
    py(shell, "P = Timer.PERIODIC")
    py(shell, "def go(): return Timer(-1, mode=P, period=20, callback=n.append)")
    # The sleep wakes for each expiry, runs the callback, and sleeps on.
    # Start, sleep and stop in one line: the count does not depend on how
    # long the shell takes between commands.
    py(shell, "t = go(); time.sleep_ms(300); t.deinit()")
    count, same = py(shell, "print(len(n), n[0] is t)")[-1].split()
    assert 12 <= int(count) <= 20 and same == "True", (count, same)
    py(shell, "c = len(n)")
    py(shell, "time.sleep_ms(100)")
    assert "True" in py(shell, "print(len(n) == c)")
    py(shell, "o = Timer(-1, mode=Timer.ONE_SHOT, period=10, callback=n.append)")
    py(shell, "time.sleep_ms(100)")
    assert "1" in py(shell, "print(n.count(o))")
    assert "ValueError: invalid period" in " ".join(py(shell, "Timer(-1, period=0, callback=print)"))


def test_machine_functions(shell: Shell):
    py(shell, "import machine")
    py(shell, "s = machine.disable_irq()")
    py(shell, "machine.enable_irq(s)")
    assert "True None" in py(shell, "print(machine.freq() > 0, machine.idle())")
    # Neither board's test build has hwinfo: the port says so.
    assert any("OSError: [Errno 95] EOPNOTSUPP" in l for l in py(shell, "machine.unique_id()"))


def test_lightsleep_until_a_timer_fires(shell: Shell):
    py(shell, "import machine, time; from machine import Timer")
    py(shell, "w = []; T = Timer; O = T.ONE_SHOT; t0 = time.ticks_ms()")
    # One line, so the timer cannot fire before the sleep starts.
    py(shell, "T(-1, mode=O, period=100, callback=w.append); machine.lightsleep()")
    assert "1 True" in py(shell, "print(len(w), time.ticks_diff(time.ticks_ms(), t0) >= 90)")
    py(shell, "t0 = time.ticks_ms(); machine.lightsleep(50)")
    assert "True" in py(shell, "print(time.ticks_diff(time.ticks_ms(), t0) >= 45)")


def test_soft_reset_starts_python_afresh(shell: Shell):
    py(shell, "kept = 42")
    assert "42" in py(shell, "print(kept)")
    # The program ends there: what sys.atexit registered runs first.
    py(shell, "import sys; sys.atexit(lambda: print('atexit ran'))")
    out = py(shell, "import machine; machine.soft_reset()")
    assert "MPY: soft reboot" in out and not any("Traceback" in l for l in out), out
    assert any("atexit ran" in l for l in out[: [i for i, l in enumerate(out) if "MPY: soft reboot" in l][0]]), out
    assert any("NameError: name 'kept' isn't defined" in l for l in py(shell, "print(kept)"))
    assert "7" in py(shell, "print(3 + 4)")


def test_time_pulse_us_times_an_emulated_pulse(dut: DeviceAdapter, shell: Shell):
    if not is_native(dut):
        pytest.skip("the GPIO emulator is on native_sim")
    py(shell, "from machine import Pin, time_pulse_us")
    py(shell, "p = Pin(('gpio0', 9), Pin.IN)")
    # Edges every 20 ms from a timer; the first pulse measured whole.
    shell.exec_command("emul_pulse 9 10 20")
    t = int(py(shell, "print(time_pulse_us(p, 1, 200000))")[-1])
    assert 15000 <= t <= 25000, t
    # The eleventh and last edge (at 220 ms) leaves the input low: after it,
    # waiting for a high level times out (-2) and a low one outlasts the
    # timeout (-1), however long the shell took between the calls.
    py(shell, "import time; time.sleep_ms(300)")
    assert "-2" in py(shell, "print(time_pulse_us(p, 1, 1000))")
    assert "-1" in py(shell, "print(time_pulse_us(p, 0, 1000))")


def test_rtc_keeps_the_time_it_is_set_to(dut: DeviceAdapter, shell: Shell):
    if not is_native(dut):
        pytest.skip("the RTC emulator is on native_sim")
    py(shell, "from machine import RTC")
    py(shell, "r = RTC()")
    py(shell, "r.datetime((2026, 12, 5, 0, 13, 45, 30, 0))")
    py(shell, "import time")
    py(shell, "time.sleep_ms(1100)")
    y, mo, d, wd, h, mi, s, _ = eval(py(shell, "print(r.datetime())")[-1])
    # 2026-12-05 is a Saturday; a second or two has passed.
    assert (y, mo, d, wd, h, mi) == (2026, 12, 5, 5, 13, 45) and 31 <= s <= 33, (s,)


def test_unknown_pin_is_value_error(dut: DeviceAdapter, shell: Shell):
    out = py(shell, "import machine; machine.Pin('no_such_led')")
    if is_native(dut):
        # native_sim's devicetree names led0 (a gpio-leds child and an alias).
        assert any(l.startswith("ValueError: pin 'no_such_led' isn't in the devicetree; there is: ") and "led0" in l for l in out), out
    else:
        # This board's test build leaves GPIO out (boards/qemu_cortex_m3.conf).
        assert "ValueError: pin 'no_such_led': this port has no GPIO" in out


def test_try_except_and_memory_error_caught_on_device(dut: DeviceAdapter, shell: Shell):
    block = repl(dut)

    block("try:", "    1 // 0", "except ZeroDivisionError as e:", "    print('caught', e)", "finally:", "    print('done')")
    dut.readlines_until(regex="^caught divide by zero", timeout=10)
    dut.readlines_until(regex="^done", timeout=10)
    block("def counter():", "    n = 0", "    def inc():", "        nonlocal n", "        n += 1",
          "        return n", "    return inc")
    block("c = counter(); c(); print('count', c())")
    dut.readlines_until(regex="^count 2", timeout=10)
    block("class Led:", "    def __init__(self, n):", "        self.n = n", "    def __repr__(self):",
          "        return 'Led(' + str(self.n) + ')'")
    block("class Blinker(Led):", "    def __init__(self):", "        super().__init__(7)")
    block("print('obj', Blinker(), isinstance(Blinker(), Led))")
    dut.readlines_until(regex=r"^obj Led\(7\) True", timeout=10)
    block("big = []", )
    block("try:", "    while True: big.append('x' * 8 + str(len(big)))", "except MemoryError:",
          "    print('mem', len(big) > 10)", "    big = None")
    dut.readlines_until(regex="^mem True", timeout=30)
    block("print('after', [1] * 3)")
    dut.readlines_until(regex=r"^after \[1, 1, 1\]", timeout=10)
    dut.write(b"\x04")
    time.sleep(0.5)
    assert any("Zephyr version" in l for l in shell.exec_command("kernel version"))


def test_big_ints_on_device(shell: Shell):
    # Small ints are 31 bits on Cortex-M: these all go through big ints.
    assert "1267650600228229401496703205376" in py(shell, "print(2 ** 100)")
    out = py(shell, "print(10 ** 20 // 7, (2 ** 70) % 1000, -(2 ** 65) >> 3)")
    assert "14285714285714285714 424 -4611686018427387904" in out
    assert "True 0x100000000 1.8446744073709552e+19" in py(shell, "print(2**62 > 2**31, hex(2**32), float(2**64))")
    assert "(10, 11)" in py(shell, "print(divmod(10**12 + 11, 10**11))")


def test_formatting_on_device(shell: Shell):
    assert "x=  3.14|ff|+007" in py(shell, "print('x=%6.2f|%x|%+04d' % (3.14159, 255, 7))")
    assert "ab--|1,234,567|1.500e+00" in py(shell, "print('{:-<4}|{:,}|{:.3e}'.format('ab', 1234567, 1.5))")
    py(shell, "v, w = 0.1 + 0.2, 8")
    assert "0.30000000000000004 0.3    |    8" in py(shell, "print(f'{v!r} {v:<7.1f}|{w:>{w-3}}')")


def test_bytes_dicts_and_eval_on_device(shell: Shell):
    py(shell, "ba = bytearray(b'ab'); ba.append(99); ba[0] = 65")
    assert "bytearray(b'Abc') [bytearray(b'A'), bytearray(b'c')] 6162" in py(shell, "print(ba, ba.split(b'b'), b'ab'.hex())")
    py(shell, "d = {'a': 1, 'b': 2}")
    assert "dict_items([('a', 1), ('b', 2)]) ['a', 'b']" in py(shell, "print(d.items(), list(d.keys()))")
    assert "7 [1, 1]" in py(shell, "print(eval('len(d) + 5'), eval('[1] * 2'))")
    py(shell, "exec('def sq(x): return x * x')")
    assert "81" in py(shell, "print(sq(9))")


def test_object_sizes(dut: DeviceAdapter, shell: Shell):
    """The sizes the README states, measured with gc.mem_alloc() on the
    target (16-byte blocks on 32-bit, 32-byte blocks on 64-bit)."""
    py(shell, "import gc; M = gc.mem_alloc; x = 1; s = 'cde'")
    py(shell, "def sz(m): gc.collect(); a = M(); y = m(); return M() - a")
    py(shell, "class P: pass")
    py(shell, "def inst(): p = P(); p.a = 1; p.b = 2; return p")
    out = py(shell, "print('sizes', sz(lambda: []), sz(lambda: (x, x, x)))")
    out += py(shell, "print('sizes', sz(lambda: {x: 1, 2: x}), sz(lambda: 'ab' + s))")
    out += py(shell, "print('sizes', sz(inst), sz(lambda: lambda: 0))")
    sizes = [int(n) for line in out if line.startswith("sizes") for n in line.split()[1:]]
    print("object sizes (list, 3-tuple, dict, str, instance, function):", sizes)
    scale = 2 if is_native(dut) else 1
    assert sizes == [n * scale for n in (16, 16, 48, 16, 80, 32)]


def test_json_re_on_device(shell: Shell):
    py(shell, "import json, re")
    py(shell, "doc = {'id': 7, 'v': [1.5, None, True], 's': 'a\"b'}")
    py(shell, "txt = json.dumps(doc, separators=(',', ':'))")
    assert '{"id":7,"v":[1.5,null,true],"s":"a\\"b"}' in py(shell, "print(txt)")
    assert "True" in py(shell, "print(json.loads(txt) == doc)")
    assert "ValueError: syntax error in JSON" in py(shell, "json.loads('[1, 2')")
    py(shell, "m = re.match('([a-z]+)=([0-9]+)', 'speed=42;')")
    assert "speed 42 (0, 8)" in py(shell, "print(m.group(1), int(m.group(2)), m.span())")
    assert "['a', 'b', 'c']" in py(shell, "print(re.split('[,;] *', 'a, b;c'))")
    py(shell, "f = lambda m: m.group(1).upper() + ':'")
    assert "X:1 Y:2" in py(shell, "print(re.sub('([a-z])=', f, 'x=1 y=2'))")


def test_micropython_module_is_always_there(shell: Shell):
    """Drivers written for MicroPython import const from it: it is built in
    on every board, even where its optional reports are left out."""
    py(shell, "import micropython; from micropython import const")
    assert "5 0" in py(shell, "X = const(5); print(X, micropython.heap_locked())")
    py(shell, "micropython.heap_lock()")
    assert "MemoryError" in "\n".join(py(shell, "[1] * 100"))
    assert "unlocked 0" in py(shell, "print('unlocked', micropython.heap_unlock())")


OPTIONAL = {
    "math": ("import math; print(math.sqrt(2), math.floor(-2.5))", "1.4142135623730951 -3"),
    "complex": ("print((1+2j) * 1j, abs(3+4j))", "(-2+1j) 5.0"),
    "array": ("import array; print(sum(array.array('h', [1, -2, 5])))", "4"),
    "collections": ("import collections; print(collections.deque((1, 2)).pop())", "2"),
    "io": ("import io; s = io.StringIO(); s.write('az'); print(s.getvalue())", "az"),
    "struct": ("import struct as s; print(s.unpack('<hI', s.pack('<hI', -2, 70000)))", "(-2, 70000)"),
}


@pytest.mark.parametrize("part", sorted(OPTIONAL))
def test_optional_parts_work_or_are_left_out_cleanly(shell: Shell, part: str):
    """Parts left out on small flash (Kconfig) fail as MicroPython does
    without them, and work where they are built in."""
    code, want = OPTIONAL[part]
    out = "\n".join(py(shell, code))
    if "ImportError" in out or "SyntaxError" in out:
        pytest.skip(f"{part} is not built into this configuration: {out}")
    assert want in out


def test_input_reads_a_console_line(dut: DeviceAdapter, shell: Shell):
    dut.clear_buffer()
    dut.write(b"py print(input('name? ') * 2)\n")
    # The Python thread takes the console from the moment input() starts.
    time.sleep(1.5)
    dut.write(b"ab\r")
    dut.readlines_until(regex="abab", timeout=20)
    # Ctrl-C while input() waits.
    interrupt_line(dut, shell, b"py input()\n")
