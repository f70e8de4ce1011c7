# Building, formatting, splitting and joining strings.
def run(n):
    parts = []
    for i in range(n):
        parts.append("%d:%s" % (i, "x" * (i % 5)))
    text = ",".join(parts)
    fields = text.split(",")
    total = 0
    for f in fields:
        k, v = f.split(":")
        total += int(k) + len(v)
    s = "{} items, {:.2f} avg".format(len(fields), total / len(fields))
    up = text[:50].upper().replace("X", "y")
    return total, s, up.count("y"), f"{total:08x}"


print(run(20000))
