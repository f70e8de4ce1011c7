# struct: byte orders, alignment, counts, strings, big values, errors.
import struct

print(struct.calcsize("<bI"), struct.calcsize("bI"), struct.calcsize(">bxI3xH"), struct.calcsize("10s"))
print(struct.pack("<bI", -128, 256), struct.pack(">hHi", -2, 65535, 7), struct.pack("!i", 123))
print(struct.unpack("<bI", b"\x80\x00\x00\x01\x00"), struct.unpack(">bxI3xH", b"\x01\x00\x00\x00\x00\x02\x00\x00\x00\x00\x03"))
print(struct.pack("<qQ", -1, 2 ** 64 - 1), struct.unpack("<q", b"\xff" * 8), struct.unpack(">Q", b"\x80" + b"\x00" * 7))
print(struct.pack("<fd", 1.5, -2.25), struct.unpack("<fd", struct.pack("<fd", 0.5, 1e100)))
print(struct.pack("<6sH", b"foo", 10000), struct.unpack("<6sH", b"foo\x00\x00\x00\x12\x34"), struct.pack("3B", 1, 2, 3))
buf = bytearray(8)
struct.pack_into("<HI", buf, 2, 0xABCD, 1)
print(buf, struct.unpack_from("<I", buf, 4), struct.unpack_from("<H", buf, offset=2))
for bad in (lambda: struct.unpack("I", b"\x00\x00"), lambda: struct.pack("Z", 1), lambda: struct.pack("<ii", 1)):
    try:
        bad()
    except (ValueError, struct.error) if hasattr(struct, "error") else ValueError:
        print("error")
