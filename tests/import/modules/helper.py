X = 42
_hidden = 1
def twice(v):
    return 2 * v
print("helper loaded", __name__)
