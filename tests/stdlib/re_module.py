# re: MicroPython's subset, where it agrees with CPython.
import re

m = re.match(r"(\w+)@(\w+)\.com", "alice@example.com and more")
print(m.group(0), m.group(1), m.group(2), m.groups(), m.span(2), m.start(1), m.end())
print(m.group(1, 2))
print(re.search(r"\d+", "abc 1234 def").group(0), re.search("x", "abc"))
print(re.match("a", "ba"), re.search("^a", "ba"), re.search("a$", "ba").span())
r = re.compile("[A-Fa-f0-9]+")
print(r.match("DEADbeefXYZ").group(0), r.search("zz c0ffee").group(0), r.match("xyz"))
print(re.match("(a|b)*c", "ababc").group(1), re.match("(?:ab)+", "ababa").group(0))
print(re.match("a*?b", "aaab").group(0), re.match("<.*>", "<a><b>").group(0), re.match("<.*?>", "<a><b>").group(0))
print(re.match(r"[^\s,]+", "word, other").group(0), re.match(r"[\d.]+", "3.14x").group(0))
print(re.match("(a)?b", "b").groups(), re.match("(a)?b", "b").group(1))
print(re.match("(a)?b", "b").groups("-"))
print(re.sub(r"\d", "#", "a1b22c333"), re.sub("(\\w+)=(\\w+)", "\\2=\\1", "x=1 y=2"))
print(re.sub("a", "b", "aaaa", 2), re.sub("(b)", r"\g<1>\g<1>", "abc"))
print(re.sub(r"\d+", lambda m: str(int(m.group(0)) * 2), "3 apples, 12 pears"))
print(re.split(",", "a,b,,c"), re.compile(r"\s+").split("a  b \t c", 1), re.split("x", "abc"))
print(r.split("12zz34zz"), re.match(b"[a-c]+", b"abcd").group(0))
print(re.match("é+", "ééa").group(0), re.match(".", "ü").group(0), re.search("[à-ÿ]", "abcñ").group(0))
print(re.compile("a").match("bab", 1).group(0), re.compile("a").search("bbba", 0, 3))
print(re.match("(a*)*b", "aab").group(0), re.match("(a*)+$", "aa").groups())
for bad in ("*", "a**", "(", ")", "[a", "a|*", "+a", "(?:"):
    try:
        re.compile(bad)
        print("compiled", bad)
    except Exception:
        print("error", repr(bad))
try:
    m.group(3)
except IndexError:
    print("IndexError")
