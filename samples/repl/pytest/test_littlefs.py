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
    run(dut, "import m, sys; print('m.X', m.X, sys.path)", r"m.X 42 \['', '.frozen', '/flash/lib'\]")
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


RAMDISK = (
    "class RAMDisk:\\n"
    "    def __init__(self, n):\\n"
    "        self.data = bytearray(512 * n)\\n"
    "    def readblocks(self, b, buf, off=0):\\n"
    "        a = b * 512 + off\\n"
    "        buf[:] = self.data[a:a + len(buf)]\\n"
    "    def writeblocks(self, b, buf, off=0):\\n"
    "        a = b * 512 + off\\n"
    "        self.data[a:a + len(buf)] = buf\\n"
    "    def ioctl(self, op, arg):\\n"
    "        if op == 4:\\n"
    "            return len(self.data) // 512\\n"
    "        if op == 5:\\n"
    "            return 512\\n"
    "        if op == 6:\\n"
    "            return 0\\n"
)


def test_a_second_file_system_on_a_python_block_device(dut: DeviceAdapter):
    """vfs.VfsLfs2 over a RAM disk written in Python, mounted at /ram beside
    Zephyr's littlefs at /flash: the Zephyr module's littlefs runs it."""
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=20)
    # The class goes into a module a few lines at a time (a REPL line is
    # at most 256 bytes).
    run(dut, "f = open('ramdisk.py', 'w'); print('open')", "open")
    lines = RAMDISK.split("\\n")
    for i in range(0, len(lines), 4):
        chunk = "\\n".join(lines[i : i + 4]) + "\\n"
        run(dut, f"n = f.write('{chunk}'); print('chunk', n > 0)", "chunk True")
    run(dut, "f.close(); print('closed')", "closed")
    run(dut, "import ramdisk, vfs; d = ramdisk.RAMDisk(12); vfs.VfsLfs2.mkfs(d); print('fs', bytes(d.data[8:16]))", "fs b'littlefs'")
    run(dut, "vfs.mount(vfs.VfsLfs2(d), '/ram'); import os; print('root', sorted(os.listdir('/')))", r"root \['flash', 'ram'\]")
    write(dut, "/ram/r.py", "print(\"from ram\")\\n")
    run(dut, "import sys; sys.path.append('/ram'); import r", "from ram")
    run(dut, "print('ram', os.listdir('/ram'), os.stat('/ram/r.py')[6], 'flash', os.listdir('/flash'))", r"ram \['r.py'\] 18 flash \['ramdisk.py'\]")
    run(dut, "os.rename('/ram/r.py', '/flash/r.py')", r"OSError: \[Errno 1\] EPERM")
    # Unmounted and found again on the device by its superblock.
    run(dut, "vfs.umount('/ram'); vfs.mount(d, '/ram', readonly=True); print('again', open('/ram/r.py').read())", 'again print."from ram".')
    run(dut, "open('/ram/w', 'w')", r"OSError: 30")
    run(dut, "vfs.umount('/ram'); os.remove('ramdisk.py'); print('mounts', [m[1] for m in vfs.mount()])", r"mounts \['/'\]")
