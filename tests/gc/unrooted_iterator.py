# A fresh iterator held only by native code (sum, min, any, in, set())
# must survive collections that Python code run between its items triggers.
import gc

def numbers(n):
    for i in range(n):
        yield Num(i)

class Source:
    def __iter__(self):
        return numbers(6)

class Num:
    def __init__(self, v):
        self.v = v
    def __add__(self, other):
        junk = [str(i) * 3 for i in range(40)]
        gc.collect()
        return Num(self.v + other.v)
    def __lt__(self, other):
        gc.collect()
        return self.v < other.v
    def __eq__(self, other):
        gc.collect()
        return isinstance(other, Num) and self.v == other.v
    def __bool__(self):
        gc.collect()
        return self.v > 100

print(sum(Source(), Num(0)).v)
print(min(Source()).v, max(Source()).v)
print(any(Source()), Num(4) in Source(), Num(9) in Source())
print(len(list(Source())), sorted(Source())[-1].v)
