"""Soak: 10,000 shell `py` commands and REPL entries on one running
firmware (definitions, imports, exceptions, MemoryError and recovery,
Ctrl-C of a running loop, entering and leaving the REPL). Afterwards the
Python heap holds what it held before, within 1 %, and the firmware still
answers."""

import re
import time

from twister_harness import DeviceAdapter, Shell

ENTRIES = 10_000

# (shell command, a line its output must hold or None)
SHELL_ROUND = [
    ("py def f(x): return x * 3", None),
    ("py print(f(14))", "42"),
    ("py import math", None),
    ("py print(math.floor(2.5) + len(str(math.pi)))", "19"),
    ("py raise ValueError('soak')", "ValueError: soak"),
    ("py b = bytearray(100000000)", "MemoryError: memory allocation failed"),
    ("py print(sum([i for i in range(50)]))", "1225"),
    ("py d = {str(i): i for i in range(40)}", None),
    ("py print(len(d), d['39'])", "40 39"),
    ("py class C: pass", None),
    ("py print(type(C()).__name__, [1, 2] * 2)", "C [1, 2, 1, 2]"),
    ("py del d, C, f", None),
]


def py(shell: Shell, cmd: str, want: str | None) -> None:
    lines = [line.strip() for line in shell.exec_command(cmd, timeout=10, print_output=False)]
    if want is not None:
        assert want in lines, f"{cmd!r} printed {lines!r}"


def mem_free(shell: Shell) -> int:
    lines = shell.exec_command("py import gc; gc.collect(); print('free', gc.mem_free())", timeout=10, print_output=False)
    for line in lines:
        m = re.search(r"free (\d+)", line)
        if m:
            return int(m.group(1))
    raise AssertionError(f"no figure in {lines!r}")


def repl_session(dut: DeviceAdapter, n: int) -> int:
    """One visit to the REPL: entries, a MemoryError, an interrupted loop,
    then Ctrl-D back to the shell. Returns the number of entries."""
    dut.clear_buffer()
    dut.write(b"py\n")
    dut.readlines_until(regex="Ctrl-D to leave", timeout=10, print_output=False)
    count = 0
    for i in range(6):
        dut.write(f"print('r', {n + i} * 2)\r".encode())
        dut.readlines_until(regex=f"^r {(n + i) * 2}$", timeout=10, print_output=False)
        count += 1
    dut.write(b"x = bytearray(100000000)\r")
    dut.readlines_until(regex="^MemoryError", timeout=10, print_output=False)
    dut.write(b"while True: pass\r")
    time.sleep(0.05)
    dut.write(b"\x03")
    dut.readlines_until(regex="^KeyboardInterrupt", timeout=10, print_output=False)
    dut.write(b"print('alive', 7 * 6)\r")
    dut.readlines_until(regex="^alive 42$", timeout=10, print_output=False)
    count += 3
    dut.write(b"\x04")
    time.sleep(0.1)
    return count + 1


def test_soak(dut: DeviceAdapter, shell: Shell):
    # One round first: what stays (the module, interned names) is made once.
    for cmd, want in SHELL_ROUND:
        py(shell, cmd, want)
    repl_session(dut, 0)
    start = mem_free(shell)
    done, rounds = 0, 0
    while done < ENTRIES:
        for cmd, want in SHELL_ROUND:
            py(shell, cmd, want)
        done += len(SHELL_ROUND)
        rounds += 1
        if rounds % 10 == 0:
            done += repl_session(dut, done)
    end = mem_free(shell)
    print(f"soak: {done} entries, gc.mem_free() {start} at the start, {end} at the end")
    assert abs(end - start) <= start // 100, f"mem_free {start} -> {end}"
    assert "42" in [line.strip() for line in shell.exec_command("py print(6*7)")]
