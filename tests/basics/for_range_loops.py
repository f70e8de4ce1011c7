# for x in range(...) compiles to a counted loop: break, continue, else,
# nesting, negative steps, bounds past the small-int range, generators and
# comprehensions over it, and a bad bound's TypeError.
out = []
for i in range(3):
    out.append(i)
for i in range(10, 0, -3):
    out.append(i)
for i in range(2, 7, 2):
    if i == 4:
        continue
    out.append(i)
else:
    out.append("else")
for i in range(5):
    if i == 2:
        break
else:
    out.append("not reached")
out.append(i)
for i in range(0):
    out.append("never")
else:
    out.append("empty")
print(out)

n = 0
for a in range(4):
    for b in range(a):
        if b == 2:
            break
        n += 1
print(n)


def early():
    for k in range(10):
        try:
            if k == 3:
                return k
        finally:
            pass


print(early())
big = 2**62
print([i - big for i in range(big - 2, big + 2)])
print(list(i for i in range(3)), [j * j for j in range(-2, 3)])
step = 2
print([i for i in range(0, 7, step)])
try:
    for i in range(1, "x"):
        pass
except TypeError:
    print("TypeError")
