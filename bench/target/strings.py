# Formatting, joining and splitting strings.
def bench():
    parts = []
    for i in range(150):
        parts.append('%d:%s' % (i, 'x' * (i % 4)))
    t = 0
    for f in ','.join(parts).split(','):
        t += len(f)
    return t
