x = [1, 2]
print(x[1])
print(x[2])
