"""Pyrite on a Python thread with only a 2 KB stack (this scenario's
CONFIG_PYRITE_THREAD_STACK_SIZE), its count limits set far above what that
holds. The compiler alone needs about 3 KB, so nothing runs; what matters is
that the VM measures its native stack and every entry ends in a Python
exception, never an overflow: the shell works on, and `kernel stacks` shows
the thread's stack never filled."""

import re

from twister_harness import Shell

from test_shell import py

STACK_FULL = "RuntimeError: maximum recursion depth exceeded"


def pyrite_thread_unused(shell: Shell) -> int:
    for line in shell.exec_command("kernel stacks"):
        m = re.search(r"pyrite_thread.*unused\s+(\d+)", line)
        if m:
            return int(m.group(1))
    raise AssertionError("no pyrite_thread in `kernel stacks`")


def test_each_entry_is_a_python_error_not_a_crash(shell: Shell):
    for code in ["print(6 * 7)", "def down(n): return down(n + 1)", "x = " + "(" * 30 + "1" + ")" * 30]:
        out = py(shell, code)
        assert STACK_FULL in out, out
    lines = shell.exec_command("kernel version")
    assert any("Zephyr version" in l for l in lines)


def test_stack_was_never_exhausted(shell: Shell):
    assert pyrite_thread_unused(shell) > 0
