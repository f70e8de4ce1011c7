# Patterns beyond what the regex engine can hold get MicroPython's errors:
# too deep a nesting is RuntimeError (its recursive compiler's), too big a
# program ValueError('regex too complex').
import re

for p in ("(" * 200 + "a" + ")" * 200, "(?:" * 200 + "a" + ")" * 200):
    try:
        re.compile(p)
        print("compiled")
    except RuntimeError as e:
        print("RuntimeError", e)

# Nesting within the limit still matches.
print(re.match("(" * 20 + "a" + ")" * 20, "a").group(20))

try:
    re.compile("(?:a|b)" * 40000)
    print("compiled")
except ValueError as e:
    print("ValueError", e)

# An empty repeat inside a repeat ends (an engine without the check loops).
print(re.match("(a*)*", "aaa").group(0))
print(re.match("(a*)+b", "aaab").group(0))
