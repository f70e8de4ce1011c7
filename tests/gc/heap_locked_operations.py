# What runs with micropython.heap_lock() on: loops over builtin containers,
# constant tuples, sum/min/max/all/any, unpacking, str methods with nothing to
# do, BytesIO writes within its room, and exceptions the VM raises; and
# BytesIO's sharing of its initial bytes.
import io
import micropython


def f4():
    return True, b"bytes", ()


seq = [3, 1, 2]
tup = (1, "two", (b"three",))
d = {1: 2}
s = {5}
out = io.BytesIO(16)
a = b = c = x = k = i = same = text = n = head = caught = None
r_sum = r_min = r_max = r_all = r_any = r_in = None
total = 0
micropython.heap_lock()
for x in seq:
    total += x
for k in d:
    total += k
for x in s:
    total += x
for i in 1, 2:
    total += i
a, b, c = seq
r_sum = sum(seq)
r_min = min(seq)
r_max = max(seq)
r_all = all(seq)
r_any = any(seq)
r_in = 2 in seq
same = f4() is f4()
text = "abc".replace("x", "y")
n = out.write(b"0123456789")
try:
    undefined_name
except NameError as e:
    caught = e
micropython.heap_unlock()
print(total, a, b, c, r_sum, r_min, r_max, r_all, r_any, r_in)
print(same, text, n, out.getvalue())
print(type(caught).__name__, caught)
print(tup, f4())

# BytesIO shares the bytes it starts from until written to.
data = b"1234" * 256
shared = before = None  # bound first: the globals' growth is not counted
before = micropython.mem_total()
shared = io.BytesIO(data)
print(micropython.mem_total() - before < len(data), shared.read(4))
shared.write(b"x")
print(shared.getvalue()[:6], data[:6])
