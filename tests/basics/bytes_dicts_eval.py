# bytes and bytearray, shared text methods, dict views and methods, eval/exec.
b = bytes([104, 105]) + b"!"
print(b, bytes(3), bytes("hé", "utf-8"), bytes(b"xy"), b[0], b[-1:], list(b))
ba = bytearray(b"abc")
ba.append(100)
ba.extend(b"ef")
ba[0] = 65
ba[1:3] = b"XYZ"
del ba[-1]
print(ba, len(ba), ba.pop(), ba, bytearray(2), ba == bytearray(b"AXYZd"), b"AXYZd" == ba)
print(ba + b"!", b"q" + ba, ba[::2], bytearray(range(3)), ba.decode(), str(ba, "utf-8"))
print(b"a,b,,c".split(b","), b"  x y ".split(), b"--x--".strip(b"-"), b"abc".find(b"c"), b"ab".hex())
print(bytes.fromhex("41 42"), b"-".join([b"a", bytearray(b"b")]), b"abc".replace(b"b", b"BB"), b"x".center(5, b"*"))
print("a b  c ".rsplit(None, 1), "k=v=w".partition("="), "k=v=w".rpartition("="), "ab".zfill(5), "-7".zfill(4))
print("Hello World".swapcase(), "hello world".title(), "l1\nl2\r\nl3".splitlines(), "ABC".isupper(), "abC".islower())
print("ab".ljust(4, ".") + "|", "ab".rjust(4) + "|", "abc".center(6, "*"), "a1".isalnum(), "x".rindex("x"))
d = {"a": 1, "b": 2}
print(d.keys(), d.values(), d.items(), list(d.items()), "a" in d.keys(), ("b", 2) in d.items(), len(d.values()))
ks = d.keys()
d["c"] = 3
print(list(ks), d.popitem(), d, dict.fromkeys("xy", 0), dict([(1, 2)], z=3), dict(d, w=4))
d.update([("q", 9)], r=8)
print(d, sorted(d), (1, 2, 1).count(1), (1, 2, 3).index(3))
x = 5
print(eval("x + 1"), eval("x * 2", {"x": 3}), eval(compile("[x] * 2", "<s>", "eval")))
g = {}
exec("def f(a):\n    return a + 1\nz = f(2)", g)
print(g["z"], "f" in g, globals()["x"], locals()["x"])
exec("w = x * 10")
print(w)
try:
    eval("1 +")
except SyntaxError:
    print("SyntaxError")
for bad in (lambda: bytearray(b"a").append(256), lambda: bytes("s"), lambda: hash(bytearray())):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__)
