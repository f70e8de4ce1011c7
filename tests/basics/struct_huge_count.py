# A repeat count far beyond any buffer: sizes are computed, not laid out
# item by item, so these answer at once.
import struct

print(struct.calcsize("<6666666666d"), struct.calcsize("<2000000000x3h"))
for f in ("<6666666666d", "<99999999999s", "<4000000000h"):
    try:
        struct.unpack(f, b"0123")
    except Exception:
        print(f, "too small")
    try:
        struct.unpack_from(f, b"0123", 1)
    except Exception:
        print(f, "too small from 1")
try:
    struct.pack("<3000000000h", 1)
except Exception:
    print("pack: wrong count")
