# readinto() fills any writable buffer: a memoryview of a bytearray (as
# mpremote reads a file to hash it), a slice of one, an array; not bytes.
import io, os

name = '/tmp/pyrite_readinto_%d.bin' % len(os.listdir('/tmp'))
with open(name, 'wb') as f:
    f.write(b'0123456789')
buf = memoryview(bytearray(4))
with open(name, 'rb') as f:
    while True:
        n = f.readinto(buf)
        if n == 0:
            break
        print(n, bytes(buf[:n]))
ba = bytearray(b'......')
with open(name, 'rb') as f:
    print(f.readinto(memoryview(ba)[2:]), ba)
import array
a = array.array('b', [0] * 3)
with open(name, 'rb') as f:
    print(f.readinto(a), a)
s = io.BytesIO(b'abcdef')
ba2 = bytearray(3)
print(s.readinto(memoryview(ba2)), ba2)
try:
    with open(name, 'rb') as f:
        f.readinto(b'abc')
except TypeError:
    print('TypeError')
os.remove(name)
