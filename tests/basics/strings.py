s = "hello"
print(s, len(s), s[0], s[-1], s + " world", s * 2, "-" * 0)
print('it\'s', "say \"hi\"", 'tab\there', "a\\b", r"raw\n", "caf\u00e9", len("caf\u00e9"))
print(repr("a'b"), repr('a"b'), repr("x\ny"), repr(""), repr("\x01"))
print("implicit" " concat", "".join(["a", "b", "c"]), ", ".join(("x", "y")))
print(str(42), str(-7), str(None), str(True), int("12") + 1, int(" -5 "), int("ff", 16), int("0b101", 0))
for ch in "héllo":
    print(ch, end="|")
print()
print(b"bytes", len(b"\x00\x01"), b"a" + b"b", b"ab"[1])
print(str([1, "a"]), repr((None, True)))
print("" == "", "a" == "a", "é"[0])
