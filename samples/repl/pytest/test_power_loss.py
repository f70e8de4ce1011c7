"""Power loss: the firmware is killed (SIGKILL, as a power cut: the flash
simulator's file keeps whatever was written) at a random point while
Python rewrites a file on littlefs in a loop, 100 times. After each
restart the file system mounts and the file holds one whole version,
never a torn one, and never an older version than one read before."""

import queue
import random
import re
import subprocess
import threading
import time
from pathlib import Path

from twister_harness.twister_harness_config import TwisterHarnessConfig

CUTS = 100


class Firmware:
    """zephyr.exe with the shell on its stdin/stdout and its flash in `flash`."""

    def __init__(self, exe: Path, flash: Path):
        self.proc = subprocess.Popen(
            [str(exe), f"--flash={flash}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode(errors="replace").rstrip("\r\n"))

    def send(self, cmd: str):
        self.proc.stdin.write(cmd.encode() + b"\n")
        self.proc.stdin.flush()

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match:
        end, seen = time.monotonic() + timeout, []
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            seen = (seen + [line])[-12:]
            m = re.search(pattern, line)
            if m:
                return m
        raise AssertionError(f"no {pattern!r} within {timeout} s; last lines: {seen!r}")

    def py(self, cmd: str, pattern: str, timeout: float = 20) -> re.Match:
        self.send("py " + cmd)
        return self.wait_for(pattern, timeout)

    def cut_power(self):
        self.proc.kill()
        self.proc.wait()


def boot(exe: Path, flash: Path) -> Firmware:
    fw = Firmware(exe, flash)
    # The shell answers once littlefs is mounted (automount at boot).
    fw.py("print('up', 6 * 7)", r"^up 42$")
    fw.send("py def mk(k): return 'v%d:' % k + ('%05d' % k) * 400")
    fw.py("print('mk', len(mk(3)))", r"^mk 2003$")
    return fw


def test_power_loss(twister_harness_config: TwisterHarnessConfig, tmp_path: Path):
    exe = Path(twister_harness_config.devices[0].build_dir) / "zephyr" / "zephyr.exe"
    flash = tmp_path / "flash.bin"
    rng = random.Random(20261206)
    fw = boot(exe, flash)
    # A first version, then how long a loop of rewrites takes.
    fw.py("f = open('/flash/d.txt', 'w'); f.write(mk(0)); f.close(); print('W0')", r"^W0$")
    fw.py("print('S')", r"^S$")
    start = time.monotonic()
    fw.send("py for k in range(1, 201): f = open('/flash/d.txt', 'w'); f.write(mk(k)); f.close()")
    fw.py("print('L')", r"^L$")
    loop_time = time.monotonic() - start
    fw.cut_power()
    last, moved, mid, planned = 200, 0, 0, 200
    for cut in range(CUTS):
        fw = boot(exe, flash)
        m = fw.py(
            "import os; s = open('/flash/d.txt').read(); k = int(s[1:s.index(':')]); print('R', k, s == mk(k))",
            r"^R (-?\d+) (True|False)$",
        )
        k, whole = int(m.group(1)), m.group(2) == "True"
        assert whole, f"cut {cut}: version {k} is torn"
        assert k >= last, f"cut {cut}: version {k} after {last} had been read"
        moved += k > last
        # Cut inside the loop: some versions written, not all.
        mid += last < k < planned
        last, planned = k, k + 200
        # Rewrite from k + 1 on, and cut the power somewhere in the loop
        # (the shell runs the loop right after printing S).
        fw.py("print('S')", r"^S$")
        fw.send(f"py for k in range({k + 1}, {k + 201}): f = open('/flash/d.txt', 'w'); f.write(mk(k)); f.close()")
        time.sleep(rng.uniform(0, loop_time))
        fw.cut_power()
    fw = boot(exe, flash)
    m = fw.py("s = open('/flash/d.txt').read(); k = int(s[1:s.index(':')]); print('R', k, s == mk(k))", r"^R (\d+) (True|False)$")
    assert m.group(2) == "True" and int(m.group(1)) >= last
    mid += last < int(m.group(1)) < planned
    print(f"power loss: {CUTS} cuts (a rewrite loop {loop_time:.3f} s long), the file at version {m.group(1)}, "
          f"a newer whole version after {moved} of them, {mid} inside the loop, never torn")
    # Cuts that all came before the first write, or after the last, test nothing.
    assert mid >= 10, f"only {mid} cuts fell inside the rewrite loop"

    fw.cut_power()
