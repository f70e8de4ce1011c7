# os: MicroPython's ilistdir, uname and urandom.
import os

base = "/tmp/pyrite_os_mp_%d" % len(os.listdir("/tmp"))
os.mkdir(base)
with open(base + "/f", "w") as f:
    f.write("abc")
os.mkdir(base + "/d")
print(sorted((e[0], e[1], e[2]) for e in os.ilistdir(base)), [e[3] for e in os.ilistdir(base) if e[0] == "f"])
u = os.uname()
print(len(u), all(isinstance(x, str) for x in u), u.sysname == u[0], u.machine == u[4], u.release == u[2])
for n in (0, 1, 16):
    r = os.urandom(n)
    print(type(r), len(r))
print(len(set(os.urandom(16) for _ in range(4))))
try:
    os.urandom(-1)
except ValueError:
    print("ValueError")
print(os.sync())
os.remove(base + "/f")
os.rmdir(base + "/d")
os.rmdir(base)
