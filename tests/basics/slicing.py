l = list(range(10))
print(l[2:5], l[:3], l[7:], l[-3:], l[:-7], l[::2], l[1::3], l[::-1], l[8:2:-2], l[5:5], l[20:], l[-20:2])
t = (1, 2, 3, 4)
print(t[1:3], t[::-1], t[:0])
s = "hello world"
print(s[:5], s[6:], s[::-1], s[-5:-1], s[::3], "héllo"[1:3], "abc"[5:])
print(b"bytes"[1:4], b"abc"[::-1])
r = range(0, 20, 3)
print(r[1:4], list(r[::-1]), list(r[2:]))
m = [0, 1, 2, 3, 4, 5]
m[1:3] = ["a", "b", "c"]
print(m)
m[::2] = [10, 20, 30, 40][:len(m[::2])]
print(m)
m[:] = []
print(m)
n = list(range(8))
del n[::3]
print(n)
del n[1:3]
print(n)
k = [1, 2, 3]
k[len(k):] = [4, 5]
k[:0] = [0]
print(k)
print(slice(1, 5, 2), slice(3))
print(l[slice(2, 8, 3)])
try:
    l[::0]
except ValueError as e:
    print("ValueError")
try:
    k[::2] = [1]
except ValueError as e:
    print("ValueError")
