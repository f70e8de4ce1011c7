# Exceptions raised and caught, through calls and in loops.
class Fail(Exception):
    pass


def check(i):
    if i % 3 == 0:
        raise Fail(i)
    return i


def run(n):
    caught = 0
    total = 0
    for i in range(n):
        try:
            total += check(i)
        except Fail as e:
            caught += 1
        try:
            {}[i]
        except KeyError:
            caught += 1
    return caught, total


print(run(100000))
