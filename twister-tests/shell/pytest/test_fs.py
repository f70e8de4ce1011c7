"""os and open() on the device's littlefs (mounted at /lfs by the
devicetree), through the shell: files written and read back, directories,
the current directory, stat/statvfs, and OSError for what is not there."""

from twister_harness import Shell

from test_shell import py


def test_write_read_and_list(shell: Shell):
    py(shell, "import os")
    assert "['lfs']" in py(shell, "print(os.listdir('/'))")
    py(shell, "f = open('/lfs/t.txt', 'w'); f.write('hello\\nzephyr\\n'); f.close()")
    assert "['hello\\n', 'zephyr\\n']" in py(shell, "print(list(open('/lfs/t.txt')))")
    py(shell, "with open('/lfs/t.txt', 'a') as f: f.write('more')")
    assert "b'zephyr\\nmore' 17" in py(shell, "f = open('/lfs/t.txt', 'rb'); f.seek(6); print(f.read(), f.tell())")
    py(shell, "f.close()")
    assert "17 True" in py(shell, "st = os.stat('/lfs/t.txt'); print(st[6], st[0] == 0x8000)")


def test_directories_and_cwd(shell: Shell):
    py(shell, "import os; os.mkdir('/lfs/sub'); os.chdir('/lfs/sub')")
    assert "/lfs/sub" in py(shell, "print(os.getcwd())")
    py(shell, "with open('in.txt', 'w') as f: f.write('x')")
    assert "['in.txt'] True" in py(shell, "print(os.listdir(), os.stat('.')[0] == 0x4000)")
    py(shell, "os.rename('in.txt', '../moved.txt'); os.chdir('..')")
    assert "['moved.txt', 'sub', 't.txt']" in py(shell, "print(sorted(os.listdir()))")
    py(shell, "os.remove('moved.txt'); os.rmdir('sub')")
    assert "['t.txt']" in py(shell, "print(sorted(os.listdir('/lfs')))")


def test_statvfs_and_errors(shell: Shell):
    py(shell, "import os; s = os.statvfs('/lfs')")
    assert "True True" in py(shell, "print(s[0] > 0, s[2] >= s[3] > 0)")
    assert "OSError: [Errno 2] ENOENT" in "\n".join(py(shell, "open('/lfs/none')"))
    py(shell, "os.mkdir('/lfs/dd')")
    assert "OSError: [Errno 21] EISDIR" in "\n".join(py(shell, "os.remove('/lfs/dd')"))
    assert "OSError: 20" in "\n".join(py(shell, "os.rmdir('/lfs/t.txt')"))
    py(shell, "os.rmdir('/lfs/dd')")
    assert "OSError: [Errno 2] ENOENT" in "\n".join(py(shell, "os.chdir('/nowhere')"))
