"""Pyrite on a Python thread with only a 2 KB stack (this scenario's
CONFIG_PYRITE_THREAD_STACK_SIZE), its count limits set far above what that
holds. The compiler needs about that much on its own, so small entries may
run or may not; what matters is that the VM measures its native stack and
each entry either completes or ends in a Python exception, never an
overflow: the shell works on, and `kernel stacks` shows the thread's stack
never filled."""

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


def test_each_entry_completes_or_raises(shell: Shell):
    out = py(shell, "print(6 * 7)")
    assert "42" in out or STACK_FULL in out, out
    defined = py(shell, "def down(n): return down(n + 1)") == []
    out = py(shell, "down(0)")
    # Python calls stay in the interpreter loop: the count limit ends them.
    assert STACK_FULL in out or (not defined and any("NameError" in l for l in out)), out
    out = py(shell, "x = " + "(" * 30 + "1" + ")" * 30)
    assert STACK_FULL in out or "SyntaxError: too deeply nested" in out, out
    out = py(shell, "print([[[[[[[[[[[1]]]]]]]]]]])")
    assert "[[[[[[[[[[[1]]]]]]]]]]]" in out or STACK_FULL in out, out
    lines = shell.exec_command("kernel version")
    assert any("Zephyr version" in l for l in lines)


def test_stack_was_never_exhausted(shell: Shell):
    assert pyrite_thread_unused(shell) > 0
