# Subscripts with commas: tuples whose items may be slices.
class Probe:
    def __getitem__(self, k):
        return k


p = Probe()
print(p[1:2, 4:5, 7:8], p[1, 4:5, 7:8, 2], p[1:2, p[3:4], 5:6])
print(p[1, 2], p[1,], p[::2, :], p[:, ::-1], p[-1:, 0])
grid = {(0, 1): "a", (2, 3): "b"}
print(grid[0, 1], grid[2, 3])
grid[4, 5] = "c"
del grid[0, 1]
print(sorted(grid.items()))
