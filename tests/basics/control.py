for i in range(3):
    print(i)
for i in range(10, 0, -3):
    print(i, end=" ")
print()
n = 0
while n < 10:
    n += 1
    if n % 2:
        continue
    if n == 8:
        break
    print("even", n)
else:
    print("not reached")
for x in []:
    pass
else:
    print("for-else runs")
i = 0
while i < 3:
    i += 1
else:
    print("while-else", i)
for a in [1, 2, 3]:
    for b in "ab":
        if b == "b":
            break
        print(a, b)
if 0:
    print("no")
elif "":
    print("no")
elif [0]:
    print("yes")
else:
    print("no")
x = 1 if n > 5 else 2
print(x, "done" if not x else "still")
