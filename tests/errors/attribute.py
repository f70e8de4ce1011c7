class P:
    pass
P().missing
