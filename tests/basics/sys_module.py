import sys
print(sys.argv[0].endswith("sys_module.py"), sys.path[0].endswith("basics"), sys.implementation.name, sys.version_info[0], sys.byteorder)
print(type(sys.maxsize), sys.maxsize > 0, "Pyrite" in sys.version)
try:
    sys.exit(0)
except SystemExit as e:
    print("SystemExit", e.args)
# sys.implementation is a named tuple, as MicroPython's attrtuple.
impl = sys.implementation
print(isinstance(impl, tuple), impl[0] == impl.name, "Pyrite" in impl._machine, len(impl.version))
# sys.stdout.buffer: the console in bytes (a FileIO, as MicroPython's).
n = sys.stdout.buffer.write(b"raw bytes\n")
print(n, "FileIO" in str(type(sys.stdout.buffer)), "FileIO" in str(sys.stdin.buffer))
