"""Pyrite on a Python thread with only a 2 KB stack (CONFIG_PYRITE_THREAD_STACK_SIZE
in this scenario), with depth limits far too high for it: the VM measures its
native stack and raises a Python exception before the stack runs out, never
overflowing it. `kernel stacks` then shows the thread's stack never filled."""

import re

from twister_harness import Shell

from test_shell import py


def pyrite_thread_unused(shell: Shell) -> int:
    for line in shell.exec_command("kernel stacks"):
        m = re.search(r"pyrite_thread.*unused\s+(\d+)", line)
        if m:
            return int(m.group(1))
    raise AssertionError("no pyrite_thread in `kernel stacks`")


def test_simple_code_runs(shell: Shell):
    assert "42" in py(shell, "print(6 * 7)")
    py(shell, "def down(n): return down(n + 1)")
    # Python-to-Python calls stay in the interpreter loop: the count limit.
    assert "RuntimeError: maximum recursion depth exceeded" in py(shell, "down(0)")


def test_native_recursion_stops_at_the_stack_floor(shell: Shell):
    py(shell, "a = []")
    py(shell, "for i in range(200): a = [a]")
    # repr of nested lists recurses natively, one level per list.
    assert "RuntimeError: maximum recursion depth exceeded" in py(shell, "repr(a)")
    assert "ok" in py(shell, "print('ok')")


def test_deep_source_is_an_error(shell: Shell):
    nested = "x = " + "(" * 30 + "1" + ")" * 30
    out = py(shell, nested)
    assert any("SyntaxError" in l for l in out), out
    assert "ok" in py(shell, "print('ok')")


def test_stack_was_never_exhausted(shell: Shell):
    assert pyrite_thread_unused(shell) > 0
