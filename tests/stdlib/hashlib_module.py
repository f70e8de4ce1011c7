# hashlib: digests match the standard test vectors across update() splits.
import hashlib

msgs = [b"", b"abc", b"a" * 55, b"a" * 56, b"a" * 64, b"x" * 1000, bytes(range(256)) * 3]
for name in ("sha256", "sha1", "md5"):
    h = getattr(hashlib, name)
    for m in msgs:
        one = h(m).digest()
        parts = h()
        for i in range(0, len(m), 37):
            parts.update(m[i:i + 37])
        print(name, len(m), one.hex(), parts.digest() == one)
print(hashlib.sha256(bytearray(b"abc")).hexdigest())
try:
    hashlib.sha256(123)
except TypeError:
    print("TypeError")
