# A file system written in Python, mounted with vfs.mount: os's functions,
# open() and import reach its methods with paths relative to the mount
# point.
import io, os, sys, vfs


class MemFile(io.IOBase):
    # Answers MicroPython's stream ioctls; import reads it with readinto.
    def __init__(self, fs, path, data):
        self.fs, self.path, self.data, self.pos = fs, path, data, 0

    def readinto(self, buf):
        n = min(len(buf), len(self.data) - self.pos)
        buf[:n] = self.data[self.pos : self.pos + n]
        self.pos += n
        return n

    def read(self):
        return str(self.data, "utf8")

    def write(self, b):
        self.data += b if isinstance(b, bytes) else bytes(b, "utf8")
        return len(b)

    def ioctl(self, req, arg):
        self.fs.log.append(("ioctl", req))
        if req == 4:
            self.close()
            return 0
        if req == 11:
            return 7  # a small buffer: several readinto calls
        return -1

    def close(self):
        self.fs.files[self.path] = self.data

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


class MemFS:
    def __init__(self):
        self.files = {}
        self.dirs = {"/"}
        self.cwd = "/"
        self.log = []

    def _abs(self, path):
        p = path if path.startswith("/") else self.cwd.rstrip("/") + "/" + path
        return p.rstrip("/") or "/"

    def mount(self, readonly, mkfs):
        self.log.append(("mount", readonly, mkfs))

    def umount(self):
        self.log.append(("umount",))

    def open(self, path, mode):
        p = self._abs(path)
        if "w" in mode:
            self.files[p] = b""
        elif p not in self.files:
            raise OSError(2)
        return MemFile(self, p, self.files[p])

    def stat(self, path):
        p = self._abs(path)
        if p in self.dirs:
            return (0x4000, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        if p in self.files:
            return (0x8000, 0, 0, 0, 0, 0, len(self.files[p]), 0, 0, 0)
        raise OSError(2)

    def statvfs(self, path):
        return (512, 512, 8, 4, 4, 0, 0, 0, 0, 32)

    def ilistdir(self, path):
        p = self._abs(path)
        for name in sorted(self.dirs | set(self.files)):
            head, _, leaf = name.rpartition("/")
            if name != "/" and (head or "/") == p:
                yield (leaf, 0x4000 if name in self.dirs else 0x8000, 0)

    def mkdir(self, path):
        self.dirs.add(self._abs(path))

    def rmdir(self, path):
        self.dirs.remove(self._abs(path))

    def remove(self, path):
        del self.files[self._abs(path)]

    def rename(self, old, new):
        self.files[self._abs(new)] = self.files.pop(self._abs(old))

    def chdir(self, path):
        p = self._abs(path)
        if p not in self.dirs:
            raise OSError(2)
        self.cwd = p

    def getcwd(self):
        return self.cwd


fs = MemFS()
vfs.mount(fs, "/mem", readonly=True)
print(fs.log)
print([m[1] for m in vfs.mount() if m[1] == "/mem"])
try:
    vfs.mount(MemFS(), "/mem")
except OSError as e:
    print("mounted twice:", e.errno)

with open("/mem/hello.txt", "w") as f:
    f.write("hi there")
print(open("/mem/hello.txt").read())
os.mkdir("/mem/pkg")
with open("/mem/pkg/__init__.py", "w") as f:
    f.write("print('pkg init')\nNAME = 'pkg'\n")
with open("/mem/mod.py", "w") as f:
    f.write("print('mod runs')\nX = 6 * 7\n")
print(os.listdir("/mem"), list(os.ilistdir("/mem/pkg")))
print(os.stat("/mem/mod.py")[0] == 0x8000, os.stat("/mem/pkg")[0] == 0x4000, os.statvfs("/mem")[0])
try:
    os.mkdir("/mem")
except OSError as e:
    print("mkdir of a mount point:", e.errno)

# import through the mounted file system: readinto in 7-byte chunks.
sys.path.append("/mem")
fs.log.clear()
import mod

print(mod.X, fs.log)
import pkg

print(pkg.NAME, pkg.__file__)
sys.path.pop()

# The current directory: the mounted file system's own, under its mount point.
here = os.getcwd()
os.chdir("/mem/pkg")
print(os.getcwd(), fs.cwd, os.listdir())
os.chdir("/mem")
print(os.getcwd())
os.rename("hello.txt", "bye.txt")
os.remove("bye.txt")
try:
    os.chdir("/mem/nothing")
except OSError as e:
    print("chdir:", e.errno, os.getcwd())
try:
    os.rename("/mem/mod.py", here + "/mod.py")
except OSError as e:
    print("rename across:", e.errno)
os.chdir(here)

vfs.umount(fs)
print(fs.log[-1], [m[1] for m in vfs.mount() if m[1] == "/mem"])
try:
    vfs.umount("/mem")
except OSError as e:
    print("umount again:", e.errno)
try:
    open("/mem/mod.py")
except OSError as e:
    print("gone:", e.errno)
