# Method calls reading and writing instance attributes.
class P:
    def __init__(self):
        self.x = 1
        self.y = 2

    def step(self, d):
        self.x = (self.x + d) & 0xFFF
        return self.x + self.y

def bench():
    p = P()
    t = 0
    for i in range(10000):
        t = (t + p.step(i)) & 0xFFFF
    return t
