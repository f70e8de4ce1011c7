# Statistics over the driver's readings (frozen into flash with main.py).


def mean(xs):
    return sum(xs) // len(xs)


def spread(xs):
    return max(xs) - min(xs)


def steps(xs):
    """The differences between successive readings, as a set."""
    return {b - a for a, b in zip(xs, xs[1:])}
