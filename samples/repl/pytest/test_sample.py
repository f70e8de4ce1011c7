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


def test_value_larger_than_the_rust_heap(shell: Shell):
    # A str nearly as large as the Python heap's free room: on a 256 KB
    # part (8 KB Rust heap) exec's copy of it cannot be made in the native
    # side's heap. That must be a MemoryError (it hung the board when the
    # copy aborted), or on a larger heap success; either way the firmware
    # goes on answering.
    shell.exec_command("py import gc; gc.collect(); s = '#' * (gc.mem_free() - 2048)")
    lines = [line.strip() for line in shell.exec_command("py exec(s); print('done')")]
    assert "done" in lines or "MemoryError: memory allocation failed" in lines, lines
    assert "alive" in [line.strip() for line in shell.exec_command("py s = None; print('alive')")]
