# Slicing str by character, forwards and backwards, over one-, two-,
# three- and four-byte UTF-8 characters; and a long string, whose slicing
# must need no memory in proportion to its length beyond the result.
strings = ["", "abc", "héllo wörld", "€uro", "aé€𝄞b" * 3]
bounds = [None, 0, 1, 3, -1, -2, -5, 100, -100]
for s in strings:
    for c in (None, 1, 2, 3, -1, -2, -3):
        print(repr(s), c, [s[a:b:c] for a in bounds for b in bounds if s[a:b:c]][:12])
long = "v200:" + "00200" * 4000
print(long[0:3], long[1 : long.index(":")], len(long[::-1]), long[-3:])
wide = "é" * 5000
print(wide[2:5], len(wide[::-7]), len(wide[100:-100:3]))
