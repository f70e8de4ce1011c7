# break/continue inside finally bodies, including on the way out of a
# return and of an exception (both are dropped, as in CPython).
def cont(n):
    out = []
    for i in range(n):
        try:
            if i == 1:
                raise ValueError
        finally:
            out.append(i)
            continue
    return out


def brk():
    for i in range(5):
        try:
            1 / 0
        finally:
            break
    return "broke at %d" % i


def ret_then_continue():
    seen = []
    for i in range(3):
        for j in "ab":
            try:
                try:
                    return "never"
                finally:
                    seen.append((i, j))
            finally:
                continue
    return seen


def with_and_finally():
    class Ctx:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            log.append("exit")

    log = []
    for k in range(2):
        try:
            with Ctx():
                return "x"
        finally:
            log.append(k)
            continue
    return log


print(cont(3), brk(), ret_then_continue(), with_and_finally())
