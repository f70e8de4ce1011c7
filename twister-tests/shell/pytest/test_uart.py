"""machine.UART on the second UART, whose far end the test holds as a device
on the wire would: on native_sim a pseudo-terminal the simulator connects it
to, under QEMU (qemu_cortex_m3) a Unix socket in the build directory."""

import os
import re
import socket
import time
from pathlib import Path

import pytest
from twister_harness import DeviceAdapter, Shell

from test_shell import is_native, py, repl


class Wire:
    """The far end of the UART: a pseudo-terminal or a socket."""

    def __init__(self, fd: int | None = None, sock: socket.socket | None = None):
        self.fd, self.sock = fd, sock

    def send(self, data: bytes):
        if self.sock is not None:
            self.sock.sendall(data)
        else:
            os.write(self.fd, data)

    def recv(self, want: int, timeout: float = 5.0) -> bytes:
        got = b""
        end = time.time() + timeout
        while len(got) < want and time.time() < end:
            try:
                got += self.sock.recv(want - len(got)) if self.sock is not None else os.read(self.fd, want - len(got))
            except (BlockingIOError, socket.timeout):
                time.sleep(0.02)
        return got

    def close(self):
        if self.sock is not None:
            self.sock.close()
        else:
            os.close(self.fd)


@pytest.fixture
def wire(dut: DeviceAdapter):
    """The shell, and the far end of the second UART."""
    if is_native(dut):
        lines = dut.readlines_until(regex=r"uart_1 connected to pseudotty: \S+", timeout=20)
        path = re.search(r"pseudotty: (\S+)", "\n".join(lines)).group(1)
        w = Wire(fd=os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK))
    else:
        # QEMU makes the socket as it starts, which on a loaded machine can
        # be after the harness hands the device over: wait for it.
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 20
        while True:
            try:
                sock.connect(str(Path(dut.device_config.build_dir) / "uart1.sock"))
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        sock.settimeout(0.1)
        w = Wire(sock=sock)
    shell = Shell(dut, timeout=20.0)
    assert shell.wait_for_prompt()
    yield shell, w
    w.close()


def test_write_reaches_the_wire(wire):
    shell, w = wire
    py(shell, "from machine import UART")
    py(shell, "u = UART('uart1')")
    assert "6 UART('uart1')" in py(shell, "print(u.write(b'AT+OK\\n'), u)")
    assert w.recv(6) == b"AT+OK\n"


def test_received_bytes_read_and_readline(wire):
    shell, w = wire
    py(shell, "from machine import UART")
    py(shell, "u = UART('uart1', timeout=200, timeout_char=50)")
    w.send(b"hello\nworld")
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
    w.send(b"late\n")
    assert "b'late\\n'" in py(shell, "print(u.readline())")


def test_unknown_uart(wire):
    shell, _ = wire
    out = py(shell, "from machine import UART; UART('uart9')")
    assert any("ValueError: UART 'uart9' isn't in the devicetree; there is: " in l and "uart1" in l for l in out), out


def test_irq_runs_the_handler_after_bytes_arrive(wire):
    shell, w = wire
    py(shell, "from machine import UART; import time")
    py(shell, "u = UART('uart1'); got = []")
    py(shell, "u.irq(lambda x: got.append(x.any()), UART.IRQ_RX)")
    w.send(b"abc")
    py(shell, "time.sleep_ms(300)")
    assert "True b'abc'" in py(shell, "print(len(got) > 0 and got[0] > 0, u.read())")
    py(shell, "u.irq(None); n = len(got)")
    w.send(b"d")
    py(shell, "time.sleep_ms(300)")
    assert "True" in py(shell, "print(len(got) == n)")


def test_select_poll_sees_received_bytes(wire):
    shell, w = wire
    if any("ImportError" in l for l in py(shell, "import select")):
        pytest.skip("this board's build leaves select out")
    py(shell, "from machine import UART")
    py(shell, "u = UART('uart1'); u.read()")
    py(shell, "p = select.poll(); p.register(u, select.POLLIN)")
    assert "[]" in py(shell, "print(p.poll(0))")
    w.send(b"x")
    assert "True" in py(shell, "print(p.poll(2000) == [(u, select.POLLIN)])")


def test_asyncio_streams_over_the_uart(dut: DeviceAdapter, wire):
    shell, w = wire
    if any("ImportError" in l for l in py(shell, "import asyncio")):
        pytest.skip("this board's build leaves asyncio out")
    block = repl(dut)
    block(
        "import asyncio",
        "from machine import UART",
        "async def main():",
        "    u = UART('uart1'); u.read()",
        "    r, wr = asyncio.StreamReader(u), asyncio.StreamWriter(u, {})",
        "    wr.write(b'ping\\n')",
        "    await wr.drain()",
        "    print('got', await r.readline())",
    )
    block("asyncio.run(main())")
    assert w.recv(5) == b"ping\n"
    w.send(b"po")
    time.sleep(0.2)
    w.send(b"ng\n")
    dut.readlines_until(regex=r"got b'pong\\n'", timeout=20)
