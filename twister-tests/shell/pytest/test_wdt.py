"""machine.WDT against Zephyr's counter-based watchdog on native_sim
(wdt_counter.overlay): fed, the program runs past its timeout; left unfed,
the watchdog resets the SoC (native_sim reports the reboot and exits)."""

from twister_harness import DeviceAdapter, Shell

from test_shell import py


def test_fed_watchdog_lets_the_program_run(shell: Shell):
    py(shell, "from machine import WDT; import time")
    py(shell, "w = WDT(timeout=300)")
    # 1.2 s in all, fed every 100 ms.
    py(shell, "for i in range(12): time.sleep_ms(100); w.feed()")
    assert "alive" in py(shell, "print('alive')")
    # A second WDT() is the same watchdog, already running.
    py(shell, "w2 = WDT(timeout=60000)")
    py(shell, "for i in range(6): time.sleep_ms(100); w2.feed()")
    assert "still alive" in py(shell, "print('still alive')")


def test_unfed_watchdog_resets(dut: DeviceAdapter, shell: Shell):
    py(shell, "from machine import WDT; import time")
    py(shell, "w = WDT(timeout=300)")
    dut.write(b"py time.sleep_ms(3000); print('not reset')\n")
    # The reboot, or the line the program prints if the watchdog missed it
    # (not the echo of the command, which also holds the words).
    out = dut.readlines_until(regex=r"sys_arch_reboot called|^(\x1b\[[0-9;]*m)*not reset", timeout=10)
    assert any("sys_arch_reboot called" in l for l in out), out
    # native_sim exits after the reboot: wait for that, so that twister's
    # teardown finds the process gone instead of racing its exit (psutil's
    # NoSuchProcess while it lists the dying process's children).
    proc = getattr(dut, "_process", None)
    if proc is not None:
        proc.wait(timeout=10)
