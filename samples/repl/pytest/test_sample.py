"""What the README promises of this sample: a line through `py`, and the
REPL, where Ctrl-C stops a loop and Ctrl-D returns to the shell."""

import time

from twister_harness import DeviceAdapter, Shell


def test_py_line_prints(shell: Shell):
    lines = shell.exec_command("py print(6*7)")
    assert "42" in [line.strip() for line in lines]


def test_repl_ctrl_c_then_ctrl_d(dut: DeviceAdapter, shell: Shell):
    dut.clear_buffer()
    dut.write(b"py\n")
    dut.readlines_until(regex="Ctrl-D to leave", timeout=10)
    dut.write(b"while True: pass\n")
    time.sleep(1)
    dut.write(b"\x03")
    dut.readlines_until(regex="^KeyboardInterrupt", timeout=20)
    dut.write(b"\x04")
    time.sleep(0.5)
    # Back in the shell, which runs commands again.
    assert "back" in [line.strip() for line in shell.exec_command("py print('back')")]
