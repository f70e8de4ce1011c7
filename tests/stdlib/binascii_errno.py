# binascii conversions and CRC-32; errno numbers and errorcode.
import binascii
import errno

data = bytes(range(0, 256, 17))
h = binascii.hexlify(data)
print(h, binascii.unhexlify(h) == data, binascii.hexlify(b"\x01\xab", b":"))
print(binascii.unhexlify("DEADbeef"))
for s in (b"", b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", data):
    e = binascii.b2a_base64(s)
    print(e, binascii.a2b_base64(e) == s, binascii.b2a_base64(s, newline=False))
print(binascii.a2b_base64(b"Zm9v\nYmFy"), binascii.a2b_base64("Zm8=trailing"))
print(binascii.crc32(b"123456789"), binascii.crc32(b""), binascii.crc32(b"6789", binascii.crc32(b"12345")))
for bad in (lambda: binascii.unhexlify(b"abc"), lambda: binascii.unhexlify(b"zz"), lambda: binascii.a2b_base64(b"abc")):
    try:
        bad()
    except ValueError:
        print("ValueError")

print(errno.ENOENT, errno.EINVAL, errno.EAGAIN, errno.ETIMEDOUT, errno.EINPROGRESS)
print(errno.errorcode[errno.EEXIST], errno.errorcode[2])
try:
    raise OSError(errno.ENOENT, "no file")
except OSError as e:
    print(e.errno == errno.ENOENT, e.args)
