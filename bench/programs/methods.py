# Method calls and attribute reads and writes on instances.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.a = 1
        self.b = 2
        self.c = 3
        self.d = 4
        self.e = 5
        self.f = 6

    def norm1(self):
        return self.x + self.y

    def move(self, dx):
        self.x = self.x + dx


def run(n):
    p = Point(1, 2)
    t = 0
    for i in range(n):
        p.move(1)
        t += p.norm1() + p.f
    return t


print(run(500000))
