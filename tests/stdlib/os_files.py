# os and open() on the host's file system (CPython gives the same output).
import os

base = "/tmp/pyrite_os_test_%d" % len(os.listdir("/tmp"))
os.mkdir(base)
start = os.getcwd()
os.chdir(base)
print(os.getcwd() == base, os.sep)

with open("t.txt", "w") as f:
    print(f.write("héllo\nwörld\n"), f.write("3rd"))
with open("t.txt") as f:
    print(repr(f.read(3)), repr(f.readline()), repr(f.readline()))
    print(repr(f.read()), repr(f.read()))
with open("t.txt") as f:
    print([line for line in f])
with open("t.txt", "rb") as f:
    data = f.read()
    print(data, len(data))
    print(f.seek(2), f.read(4), f.tell())
    print(f.seek(-3, 2), f.read())
    buf = bytearray(4)
    f.seek(0)
    print(f.readinto(buf), buf)
with open("t.txt", "a") as f:
    f.write("!")
with open("t.txt", "r+") as f:
    f.write("H")
print(open("t.txt").read())
with open("b.bin", "wb") as f:
    f.write(bytes(range(250, 256)))
print(open("b.bin", "rb").read())

os.mkdir("sub")
os.mkdir("sub/deeper")
os.chdir("sub")
print(os.getcwd() == base + "/sub", os.listdir())
os.chdir("..")
print(sorted(os.listdir()), sorted(os.listdir(base + "/sub/../sub")))
st = os.stat("t.txt")
print(st[6], st[0] & 0x8000 != 0, os.stat("sub")[0] & 0x4000 != 0)
os.rename("t.txt", "sub/moved.txt")
print(sorted(os.listdir()), sorted(os.listdir("sub")))

for bad in (lambda: open("missing"), lambda: os.mkdir("sub"), lambda: os.rmdir("sub"),
            lambda: os.remove("missing"), lambda: os.chdir("b.bin"), lambda: open("x", "rw")):
    try:
        bad()
    except OSError as e:
        print("OSError", e.errno)
    except ValueError as e:
        print("ValueError")
f = open("b.bin")
f.close()
f.close()
try:
    f.read()
except (OSError, ValueError):
    print("closed file refuses to read")

os.remove("sub/moved.txt")
os.rmdir("sub/deeper")
os.rmdir("sub")
os.remove("b.bin")
os.chdir(start)
os.rmdir(base)
print(os.path.exists(base) if hasattr(os, "path") else False)

# statvfs of the host's file system (figures vary; their shape does not).
s = os.statvfs(".")
print(len(s), s[0] > 0, s[2] >= s[3] >= 0, s[9] > 0)
