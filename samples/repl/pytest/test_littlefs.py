"""littlefs at /flash on mps2/an385 in QEMU (Zephyr's flash simulator, in
RAM), with the Python REPL on the console from boot: files and
directories, import from /flash/lib, boot.py and main.py at each soft
reset, Ctrl-C stopping a main.py that never ends, and a full disk."""

from twister_harness import DeviceAdapter


def run(dut: DeviceAdapter, line: str, expect: str, timeout: float = 20) -> list[str]:
    """Types `line` at the REPL and waits for an output line matching
    `expect` (anchored, so the echoed input does not count)."""
    dut.write(line.encode() + b"\r")
    return dut.readlines_until(regex="^" + expect, timeout=timeout)


def write(dut: DeviceAdapter, name: str, text: str, mkdir: str = "") -> None:
    """Writes a file through Python (a directory made first, if named)."""
    made = f"os.mkdir('{mkdir}'); " if mkdir else ""
    run(dut, f"import os; {made}f = open('{name}', 'w'); n = f.write('{text}'); f.close(); print('wrote', n)", "wrote")


def soft_reset(dut: DeviceAdapter, expect: str) -> list[str]:
    dut.write(b"\x04")
    return dut.readlines_until(regex="^" + expect, timeout=20)


def test_littlefs_at_flash(dut: DeviceAdapter):
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=20)
    run(dut, "import os; print('at', os.getcwd(), os.statvfs('/flash')[:3])", r"at /flash \(1024, 1024, 256\)")

    # Directories, files, import from /flash/lib (on sys.path).
    write(dut, "lib/m.py", "X = 6 * 7\\n", mkdir="lib")
    run(dut, "import m, sys; print('m.X', m.X, sys.path)", r"m.X 42 \['', '/flash/lib'\]")
    run(dut, "os.rename('lib/m.py', 'lib/n.py'); print('lib', os.listdir('lib'))", r"lib \['n.py'\]")
    run(dut, "os.remove('lib/n.py'); os.rmdir('lib'); print('left', os.listdir())", r"left \[\]")

    # boot.py, then main.py, at a soft reset; the files stay.
    write(dut, "boot.py", 'print(\"boot.py ran\")\\n')
    write(dut, "main.py", 'print(\"main.py ran\")\\n')
    lines = soft_reset(dut, "main.py ran")
    assert any(line.startswith("boot.py ran") for line in lines), lines
    run(dut, "import os; print('files', sorted(os.listdir()))", r"files \['boot.py', 'main.py'\]")

    # A main.py that never ends (an application's loop): Ctrl-C stops it
    # and the REPL comes.
    write(dut, "main.py", 'print(\"looping\")\\nwhile True:\\n    pass\\n')
    soft_reset(dut, "looping")
    dut.write(b"\x03")
    dut.readlines_until(regex="^KeyboardInterrupt", timeout=20)
    run(dut, "import os; os.remove('main.py'); os.remove('boot.py'); print('back', os.listdir())", r"back \[\]")


def test_a_full_disk_is_enospc_and_stays_usable(dut: DeviceAdapter):
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=20)
    fill = (
        "import os\\nf = open('fill.bin', 'wb')\\nerr = None\\ntry:\\n    while True:\\n"
        "        f.write(bytes(4096))\\nexcept OSError as e:\\n    err = e.errno\\n"
        "try:\\n    f.close()\\nexcept OSError:\\n    pass\\nprint('errno', err)"
    )
    run(dut, f'exec("{fill}")', "errno 28", timeout=60)
    run(dut, "os.remove('fill.bin'); print('removed')", "removed")
    write(dut, "after.txt", "after")
    soft_reset(dut, "Pyrite")
    run(dut, "print('read', open('after.txt').read())", "read after")
    run(dut, "import os; os.remove('after.txt'); print('free', os.statvfs('/flash')[3] > 200)", "free True")
