"""machine.UART on native_sim's second UART, which the simulator connects to
a pseudo-terminal: the test holds the other end, as a device on the wire
would."""

import os
import re
import time

import pytest
from twister_harness import DeviceAdapter, Shell

from test_shell import py


@pytest.fixture
def wire(dut: DeviceAdapter):
    """The shell, and the far end of uart_1 (its pseudo-terminal)."""
    lines = dut.readlines_until(regex=r"uart_1 connected to pseudotty: \S+", timeout=20)
    path = re.search(r"pseudotty: (\S+)", "\n".join(lines)).group(1)
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    shell = Shell(dut, timeout=20.0)
    assert shell.wait_for_prompt()
    yield shell, fd
    os.close(fd)


def read_wire(fd: int, want: int, timeout: float = 5.0) -> bytes:
    got = b""
    end = time.time() + timeout
    while len(got) < want and time.time() < end:
        try:
            got += os.read(fd, want - len(got))
        except BlockingIOError:
            time.sleep(0.02)
    return got


def test_write_reaches_the_wire(wire):
    shell, fd = wire
    py(shell, "from machine import UART")
    py(shell, "u = UART('uart1')")
    assert "6 UART('uart1')" in py(shell, "print(u.write(b'AT+OK\\n'), u)")
    assert read_wire(fd, 6) == b"AT+OK\n"


def test_received_bytes_read_and_readline(wire):
    shell, fd = wire
    py(shell, "from machine import UART")
    py(shell, "u = UART('uart1', timeout=200, timeout_char=50)")
    os.write(fd, b"hello\nworld")
    time.sleep(0.3)
    assert "11" in py(shell, "print(u.any())")
    assert "b'hello\\n'" in py(shell, "print(u.readline())")
    assert "b'wo'" in py(shell, "print(u.read(2))")
    py(shell, "b = bytearray(8)")
    assert "3 bytearray(b'rld\\x00\\x00\\x00\\x00\\x00')" in py(shell, "print(u.readinto(b), b)")
    # Nothing more arrives: the timeouts pass and the reads give None.
    assert "None None" in py(shell, "print(u.read(), u.readline())")
    # A line that arrives while readline waits.
    py(shell, "u.init(timeout=2000)")
    os.write(fd, b"late\n")
    assert "b'late\\n'" in py(shell, "print(u.readline())")


def test_unknown_uart(wire):
    shell, _ = wire
    out = py(shell, "from machine import UART; UART('uart9')")
    assert any("ValueError: UART 'uart9' isn't in the devicetree; there is: " in l and "uart1" in l for l in out), out
