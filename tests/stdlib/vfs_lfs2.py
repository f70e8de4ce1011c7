# vfs.VfsLfs2 on a block device written in Python, mounted beside the
# port's own file system.
import os, sys, vfs


class RAMBlockDevice:
    def __init__(self, block_size, blocks):
        self.block_size = block_size
        self.data = bytearray(block_size * blocks)
        self.erases = 0

    def readblocks(self, block, buf, off=0):
        addr = block * self.block_size + off
        buf[:] = self.data[addr : addr + len(buf)]

    def writeblocks(self, block, buf, off=0):
        addr = block * self.block_size + off
        self.data[addr : addr + len(buf)] = buf

    def ioctl(self, op, arg):
        if op == 4:
            return len(self.data) // self.block_size
        if op == 5:
            return self.block_size
        if op == 6:
            self.erases += 1
            return 0


bdev = RAMBlockDevice(512, 64)

# Nothing on it yet: no file system to find.
try:
    vfs.mount(bdev, "/ram")
except OSError as e:
    print("unformatted:", e.errno)

vfs.VfsLfs2.mkfs(bdev)
print("erased blocks:", bdev.erases > 0)
print("superblock:", bytes(bdev.data[8:16]))
fs = vfs.VfsLfs2(bdev)
st = fs.statvfs("/")
print("statvfs:", st[0], st[2], st[3] < st[2], st[9])

vfs.mount(fs, "/ram")
print("mounted:", "/ram" in [m[1] for m in vfs.mount()])
print("root lists it:", "ram" in os.listdir("/"))

# Files: text and binary, seek/tell, append, readline, readinto.
with open("/ram/a.txt", "w") as f:
    print(f.write("hello\nworld\n"))
with open("/ram/a.txt", "a") as f:
    f.write("more\n")
with open("/ram/a.txt") as f:
    print(repr(f.readline()), repr(f.read()))
with open("/ram/b.bin", "wb") as f:
    f.write(bytes(range(256)) * 8)
with open("/ram/b.bin", "rb") as f:
    f.seek(1000)
    print(f.tell(), f.read(4))
    buf = bytearray(16)
    print(f.readinto(buf), buf[:4])
    f.seek(-2, 2)
    print(f.read())
print("size:", os.stat("/ram/b.bin")[6], "is file:", os.stat("/ram/b.bin")[0] == 0x8000)
print("mtime is int:", type(os.stat("/ram/a.txt")[8]) is int)

# Directories, the current directory, relative paths.
os.mkdir("/ram/lib")
print(os.stat("/ram/lib")[0] == 0x4000)
try:
    os.mkdir("/ram/lib")
except OSError as e:
    print("mkdir again:", e.errno)
os.chdir("/ram/lib")
print(os.getcwd())
with open("pkgmod.py", "w") as f:
    f.write("VALUE = 42\nprint('pkgmod runs')\n")
os.chdir("..")
print(os.getcwd(), sorted(os.listdir()))
print(sorted(os.ilistdir("/ram")))

# import from the mounted file system.
sys.path.append("/ram/lib")
import pkgmod

print(pkgmod.VALUE, pkgmod.__file__)
sys.path.pop()

# rename, remove, rmdir; errors as OSError with littlefs's errno.
os.rename("/ram/a.txt", "/ram/lib/c.txt")
print(sorted(os.listdir("/ram/lib")))
try:
    os.rmdir("/ram/lib")
except OSError as e:
    print("rmdir non-empty:", e.errno)
try:
    open("/ram/missing.txt")
except OSError as e:
    print("missing:", e.errno)
try:
    os.rename("/ram/lib/c.txt", "/elsewhere.txt")
except OSError as e:
    print("across file systems:", e.errno)
os.remove("/ram/lib/c.txt")
os.remove("/ram/lib/pkgmod.py")
os.rmdir("/ram/lib")
print(sorted(os.listdir("/ram")))

# A full disk: ENOSPC, and the file system still works after.
try:
    with open("/ram/big", "wb") as f:
        for i in range(100):
            f.write(bytes(512))
except OSError as e:
    print("full:", e.errno)
os.remove("/ram/big")
with open("/ram/after", "w") as f:
    f.write("fine")
print(open("/ram/after").read())

# A file open at umount is closed; what it wrote is there at the next mount.
f = open("/ram/open.txt", "w")
f.write("kept")
os.chdir("/")
vfs.umount("/ram")
try:
    f.write("more")
except OSError as e:
    print("after umount:", e.errno)
f.close()

# Mounting the block device finds the littlefs on it.
vfs.mount(bdev, "/ram", readonly=True)
print(open("/ram/open.txt").read(), sorted(os.listdir("/ram")))
try:
    open("/ram/new", "w")
except OSError as e:
    print("read-only:", e.errno)
vfs.umount("/ram")
try:
    os.listdir("/ram")
except OSError as e:
    print("gone:", type(e).__name__)


# A file object from before an umount never reaches the file that takes its
# place in the table of open files after the next mount.
vfs.mount(bdev, "/ram")
stale = open("/ram/stale.txt", "w")
vfs.umount("/ram")
vfs.mount(bdev, "/ram")
fresh = open("/ram/fresh.txt", "w")
fresh.write("fresh")
try:
    stale.write("STALE")
except OSError as e:
    print("stale file:", e.errno)
fresh.close()
stale.close()
print(repr(open("/ram/fresh.txt").read()), repr(open("/ram/stale.txt").read()))
vfs.umount("/ram")

# A block device that fails: its exception reaches the caller.
def gone(block, buf, off=0):
    raise ValueError("device gone")


bdev.readblocks = gone
try:
    vfs.VfsLfs2(bdev)
except ValueError as e:
    print("device error:", e)
