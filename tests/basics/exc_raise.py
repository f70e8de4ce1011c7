def check(v):
    if v > 2:
        raise ValueError("too big")
    return v
print(check(1))
check(5)
