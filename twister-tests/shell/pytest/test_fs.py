"""os and open() on the device's littlefs (mounted at /lfs by the
devicetree), through the shell: files written and read back, directories,
the current directory, stat/statvfs, OSError for what is not there, and a
gzip file read back through deflate.DeflateIO."""

import gzip
import zlib

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
    # os.sync() commits what an open file holds back: its size shows.
    py(shell, "f = open('/lfs/s.txt', 'w'); f.write('synced')")
    assert "6" in py(shell, "os.sync(); print(os.stat('/lfs/s.txt')[6])")
    py(shell, "f.close(); os.remove('/lfs/s.txt')")


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


def test_gzip_file_through_deflate(shell: Shell):
    text = b"".join(b"reading %d: %d\n" % (i, i * i % 97) for i in range(40))
    gz = gzip.compress(text, mtime=0)
    py(shell, "import deflate, binascii; f = open('/lfs/log.gz', 'wb')")
    for i in range(0, len(gz), 20):
        py(shell, f"f.write(bytes.fromhex('{gz[i:i + 20].hex()}'))")
    py(shell, "f.close(); f = open('/lfs/log.gz', 'rb')")
    # The text is 583 bytes, so a 1 KB window (wbits 10) reaches every match.
    py(shell, "d = deflate.DeflateIO(f, deflate.GZIP, 10, True)")
    assert "b'reading 0: 0\\n'" in py(shell, "print(d.readline())")
    rest = text[len(b"reading 0: 0\n"):]
    assert f"{len(rest)} {zlib.crc32(rest)}" in py(shell, "t = d.read(); print(len(t), binascii.crc32(t))")
    # close() closed the file too (close=True).
    assert "EBADF" in "\n".join(py(shell, "d.close(); f.read()"))
