# select.poll over streams that answer MicroPython's poll ioctl (request 3).
import select
import sys
import time


class Stream:
    def __init__(self, name, ready):
        self.name = name
        self.ready = ready
        self.asked = 0

    def ioctl(self, req, arg):
        self.asked += 1
        if req != 3:
            return -1
        return self.ready & arg

    def __repr__(self):
        return self.name


def show(res):
    return sorted((repr(s), ev) for s, ev in res)


a = Stream("a", select.POLLIN)
b = Stream("b", select.POLLOUT)
c = Stream("c", 0)
p = select.poll()
p.register(a, select.POLLIN)
p.register(b)
p.register(c, select.POLLIN | select.POLLOUT)
print(show(p.poll(0)))
p.modify(a, select.POLLOUT)
print(show(p.poll(0)))
p.unregister(b)
p.unregister(b)  # not registered: nothing happens
print(show(p.poll(0)))

# A timeout with nothing ready waits about that long.
p.unregister(a)
t0 = time.ticks_ms()
print(p.poll(30), 25 <= time.ticks_diff(time.ticks_ms(), t0) < 1000)

# Ready later: a stream that becomes ready ends a long poll.
class Later(Stream):
    def ioctl(self, req, arg):
        self.asked += 1
        return arg if self.asked > 3 else 0


l = Later("later", 0)
p.register(l, select.POLLIN)
print(show(p.poll(5000)))

# ipoll with the one-shot flag reports a stream once, until modify().
q = select.poll()
q.register(a, select.POLLIN)
print(show(q.ipoll(0, 1)), show(q.ipoll(0, 1)))
q.modify(a, select.POLLIN)
print(show(q.ipoll(0)))

# Errors and hang-ups are reported even when not asked for.
class Broken(Stream):
    def ioctl(self, req, arg):
        return self.ready


e = Broken("err", select.POLLERR | select.POLLHUP | select.POLLOUT)
q.register(e, select.POLLIN)
print(show(q.poll(0)))

# The console is always writable.
q = select.poll()
q.register(sys.stdout, select.POLLOUT)
print(q.poll(0)[0][1] == select.POLLOUT)

try:
    q.modify(c, select.POLLIN)
except OSError as er:
    print("OSError", er.errno)
try:
    q.register(42)
    q.poll(0)
except AttributeError:
    print("AttributeError")
