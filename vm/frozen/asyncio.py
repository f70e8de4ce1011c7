# asyncio: MicroPython's cooperative scheduler, written in Python and frozen
# into the firmware as bytecode (see vm/src/frozen/).
#
# A task is a coroutine (a generator) plus the few fields the scheduler
# needs. The run queue is a list of tasks ordered by wake-up time, linked
# through the tasks themselves, so sleeping, waking and waiting allocate
# nothing: asyncio keeps running with the heap locked. Tasks waiting for a
# stream sit in the IO queue, polled with select.poll.
#
# Task.state says who cares that the task ends:
#   True       running, nobody waiting for it yet
#   TaskQueue  the tasks awaiting it
#   callable   a function to call when it ends (gather)
#   None       ended, nobody has taken the result yet
#   False      ended, result taken
# Task.data is what the task is waiting on while it waits (a TaskQueue, the
# IO queue or another task: what cancel() must undo), the exception to throw
# into it when it next runs, and once it ends its outcome: StopIteration
# carrying the return value, or the exception that ended it.

from time import ticks_ms as ticks, ticks_diff, ticks_add, sleep_ms as sleep_ms_blocking
import sys
import select
import io

_POLL = 3  # the stream ioctl that asks for readiness


class CancelledError(BaseException):
    pass


class TimeoutError(Exception):
    pass


class TaskQueue:
    # Ordered by ph_key (a ticks_ms time), first come first served among
    # equal times. A linked list: the queues hold a handful of tasks.
    def __init__(self):
        self.head = None

    def peek(self):
        return self.head

    def push(self, t, key=None):
        # Queued means no longer waiting on anything.
        t.data = None
        t.ph_key = ticks() if key is None else key
        prev = None
        cur = self.head
        while cur is not None and ticks_diff(cur.ph_key, t.ph_key) <= 0:
            prev = cur
            cur = cur.ph_next
        t.ph_next = cur
        if prev is None:
            self.head = t
        else:
            prev.ph_next = t

    def pop(self):
        t = self.head
        self.head = t.ph_next
        t.ph_next = None
        return t

    def remove(self, t):
        prev = None
        cur = self.head
        while cur is not None:
            if cur is t:
                if prev is None:
                    self.head = cur.ph_next
                else:
                    prev.ph_next = cur.ph_next
                t.ph_next = None
                return True
            prev = cur
            cur = cur.ph_next
        return False


class Task:
    def __init__(self, coro, globals=None):
        self.coro = coro
        self.data = None
        self.state = True
        self.ph_key = 0
        self.ph_next = None

    def __iter__(self):
        if not self.state:
            # Ended: awaiting it takes the result.
            self.state = False
        elif self.state is True:
            self.state = TaskQueue()
        elif type(self.state) is not TaskQueue:
            raise RuntimeError("can't wait")
        return self

    __await__ = __iter__

    def __next__(self):
        if not self.state:
            if self.data is None:
                # Ended, and its exception already went to the handler.
                raise StopIteration
            raise self.data
        # Still running: the current task waits for this one to end.
        self.state.push(_cur_task)
        _cur_task.data = self

    def __repr__(self):
        return "<Task>"

    def done(self):
        return not self.state

    def cancel(self):
        if self.done():
            return False
        if self is _cur_task:
            raise RuntimeError("can't cancel self")
        # A task awaiting another task is cancelled through that task, whose
        # CancelledError then reaches it through the await.
        t = self
        while isinstance(t.data, Task):
            t = t.data
        if hasattr(t.data, "remove"):
            # Waiting on an event, a lock, a stream or a gather.
            t.data.remove(t)
            _task_queue.push(t)
        elif ticks_diff(t.ph_key, ticks()) > 0:
            # Sleeping: wake it now.
            _task_queue.remove(t)
            _task_queue.push(t)
        t.data = CancelledError
        return True


class _Sleep:
    # What sleep_ms returns: one reused object, so sleeping allocates nothing.
    def __init__(self):
        self.until = None
        self.done = StopIteration()

    def __iter__(self):
        return self

    def __next__(self):
        if self.until is not None:
            _task_queue.push(_cur_task, self.until)
            self.until = None
            return None
        raise self.done


def sleep_ms(t, _sleeper=_Sleep()):
    _sleeper.until = ticks_add(ticks(), max(0, t))
    return _sleeper


def sleep(t):
    return sleep_ms(int(t * 1000))


class _IOQueue:
    # Tasks waiting to read from or write to a stream: one poll registration
    # per stream, keyed by id(stream) -> [reader, writer, stream].
    def __init__(self):
        self.poller = select.poll()
        self.map = {}

    def _enqueue(self, s, idx):
        entry = self.map.get(id(s))
        if entry is None:
            entry = [None, None, s]
            entry[idx] = _cur_task
            self.map[id(s)] = entry
            self.poller.register(s, select.POLLIN if idx == 0 else select.POLLOUT)
        else:
            if entry[idx] is not None:
                raise RuntimeError("stream already waited on")
            entry[idx] = _cur_task
            self.poller.modify(s, select.POLLIN | select.POLLOUT)
        _cur_task.data = self

    def _dequeue(self, s):
        del self.map[id(s)]
        self.poller.unregister(s)

    def queue_read(self, s):
        self._enqueue(s, 0)

    def queue_write(self, s):
        self._enqueue(s, 1)

    def remove(self, task):
        for k in self.map:
            entry = self.map[k]
            if entry[0] is task:
                entry[0] = None
            elif entry[1] is task:
                entry[1] = None
            else:
                continue
            if entry[0] is None and entry[1] is None:
                self._dequeue(entry[2])
            else:
                self.poller.modify(entry[2], select.POLLOUT if entry[0] is None else select.POLLIN)
            return True
        return False

    def wait_io_event(self, dt):
        if not self.map:
            if dt > 0:
                sleep_ms_blocking(dt)
            return
        for s, ev in self.poller.ipoll(dt):
            entry = self.map[id(s)]
            if ev & ~select.POLLOUT and entry[0] is not None:
                # Readable, or an error: wake the reader.
                _task_queue.push(entry[0])
                entry[0] = None
            if ev & ~select.POLLIN and entry[1] is not None:
                _task_queue.push(entry[1])
                entry[1] = None
            if entry[0] is None and entry[1] is None:
                self._dequeue(s)
            elif entry[0] is None:
                self.poller.modify(s, select.POLLOUT)
            else:
                self.poller.modify(s, select.POLLIN)


def _promote_to_task(aw):
    return aw if isinstance(aw, Task) else create_task(aw)


def create_task(coro):
    if not hasattr(coro, "send"):
        raise TypeError("coroutine expected")
    t = Task(coro, globals())
    _task_queue.push(t)
    return t


def current_task():
    if _cur_task is None:
        raise RuntimeError("no running event loop")
    return _cur_task


def _ended(t, er):
    # Task t ended with er (StopIteration for a return). Wakes whoever waits.
    if not t.state:
        return
    waiting = False
    if t.state is True:
        t.state = None
    elif type(t.state) is TaskQueue:
        q = t.state
        while q.peek():
            _task_queue.push(q.pop())
            waiting = True
        t.state = False
    else:
        t.state(t, er)
        t.state = False
        waiting = True
    if not waiting and not isinstance(er, (CancelledError, StopIteration)):
        # Nobody awaits it: unless someone takes the exception before the
        # task comes round again, the loop's exception handler gets it.
        _task_queue.push(t)
    t.data = er


def run_until_complete(main_task=None, idle=True):
    global _cur_task
    while True:
        # Wait until the first task is due, serving streams meanwhile.
        while True:
            t = _task_queue.peek()
            if t is not None:
                dt = max(0, ticks_diff(t.ph_key, ticks()))
            elif _io_queue.map or (idle and main_task is not None and main_task.state):
                # Nothing due, but a stream, an interrupt or a scheduled
                # callback may yet wake a task: look again each millisecond.
                dt = 1
            else:
                _cur_task = None
                return
            _io_queue.wait_io_event(dt)
            if dt == 0:
                break
        t = _task_queue.pop()
        if t.state is None:
            # An exception nobody took: report it.
            _exc_context["exception"] = t.data
            _exc_context["future"] = t
            Loop.call_exception_handler(_exc_context)
            continue
        if not t.state:
            continue
        _cur_task = t
        try:
            exc = t.data
            if not exc:
                t.coro.send(None)
            else:
                t.data = None
                t.coro.throw(exc)
        except (CancelledError, Exception) as er:
            if t is main_task:
                _cur_task = None
                if type(t.state) is TaskQueue:
                    q = t.state
                    while q.peek():
                        _task_queue.push(q.pop())
                t.state = False
                t.data = er
                if isinstance(er, StopIteration):
                    return er.value
                raise er
            _ended(t, er)


def run(coro):
    return run_until_complete(create_task(coro))


async def _stopper():
    pass


_stop_task = None


class Loop:
    _exc_handler = None

    def create_task(coro):
        return create_task(coro)

    def run_forever():
        global _stop_task
        _stop_task = Task(_stopper(), globals())
        run_until_complete(_stop_task, False)

    def run_until_complete(aw):
        t = _promote_to_task(aw)
        if not t.state:
            # Ended already: its outcome now.
            t.state = False
            if isinstance(t.data, StopIteration):
                return t.data.value
            raise t.data
        return run_until_complete(t)

    def stop():
        global _stop_task
        if _stop_task is not None:
            _task_queue.push(_stop_task)
            _stop_task = None

    def close():
        pass

    def set_exception_handler(handler):
        Loop._exc_handler = handler

    def get_exception_handler():
        return Loop._exc_handler

    def default_exception_handler(loop, context):
        print(context["message"], file=sys.stderr)
        print("future:", context["future"], "coro=", context["future"].coro, file=sys.stderr)
        sys.print_exception(context["exception"], sys.stderr)

    def call_exception_handler(context):
        (Loop._exc_handler or Loop.default_exception_handler)(Loop, context)


def get_event_loop(runq_len=0, waitq_len=0):
    return Loop


def new_event_loop():
    global _task_queue, _io_queue
    _task_queue = TaskQueue()
    _io_queue = _IOQueue()
    return Loop


def set_event_loop(loop):
    pass


# The one context dict, reused so reporting allocates nothing.
_exc_context = {"message": "Task exception wasn't retrieved", "exception": None, "future": None}
_cur_task = None
new_event_loop()


# --- Waiting for tasks -----------------------------------------------------


class _Remove:
    # What a gathering task waits on: cancel() finds it has nothing to undo.
    @staticmethod
    def remove(t):
        pass


def gather(*aws, return_exceptions=False):
    if not aws:
        return []

    def done(t, er):
        nonlocal state
        if gatherer.data is not _Remove:
            # The gatherer was woken already (an error, or cancelled).
            return
        if not return_exceptions and not isinstance(er, StopIteration):
            state = er
        else:
            state -= 1
            if state:
                return
        _task_queue.push(gatherer)

    ts = [_promote_to_task(aw) for aw in aws]
    for t in ts:
        if t.state is not True and t.state:
            # Someone else awaits it already.
            raise RuntimeError("can't gather")
    for t in ts:
        if not t.state:
            # Ended already: its outcome is taken here.
            t.state = False
            if not return_exceptions and not isinstance(t.data, StopIteration):
                raise t.data
    gatherer = _cur_task
    state = 0
    for t in ts:
        if t.state is True:
            t.state = done
            state += 1
    cancel_all = False
    if state:
        gatherer.data = _Remove
        try:
            yield
        except CancelledError as er:
            cancel_all = True
            state = er
    for i in range(len(ts)):
        t = ts[i]
        if t.state is done:
            # Still running: forget it, and cancel it if we were cancelled.
            t.state = True
            if cancel_all:
                t.cancel()
        elif isinstance(t.data, StopIteration):
            ts[i] = t.data.value
        else:
            ts[i] = t.data
    if state != 0:
        raise state
    return ts


class _Woken(BaseException):
    # Thrown into wait_for's sleep when the awaited task ends first: unlike
    # a CancelledError it cannot be confused with a cancel from outside.
    pass


async def wait_for(aw, timeout, sleep=sleep):
    aw = _promote_to_task(aw)
    if timeout is None:
        return await aw

    # A runner awaits aw; if it ends first it wakes us from the sleep.
    async def runner(waiter, aw):
        nonlocal status, result
        try:
            result = await aw
            s = True
        except BaseException as er:
            s = er
        if status is None:
            status = s
            if waiter.data is not CancelledError:
                _task_queue.remove(waiter)
                _task_queue.push(waiter)
                waiter.data = _Woken

    status = None
    result = None
    runner_task = create_task(runner(_cur_task, aw))
    try:
        await sleep(timeout)
    except _Woken:
        if status is True:
            return result
        raise status
    except CancelledError as er:
        if status is None:
            # Cancelled from outside while aw runs: take aw down with us.
            status = True
            runner_task.cancel()
        raise er
    status = True
    runner_task.cancel()
    await runner_task
    raise TimeoutError


def wait_for_ms(aw, timeout):
    return wait_for(aw, timeout, sleep_ms)


# --- Synchronisation -------------------------------------------------------


class Event:
    def __init__(self):
        self.state = False
        self.waiting = TaskQueue()

    def is_set(self):
        return self.state

    def set(self):
        while self.waiting.peek():
            _task_queue.push(self.waiting.pop())
        self.state = True

    def clear(self):
        self.state = False

    def wait(self):
        if not self.state:
            self.waiting.push(_cur_task)
            _cur_task.data = self.waiting
            yield
        return True


class ThreadSafeFlag(io.IOBase):
    # set() may come from an interrupt or micropython.schedule: it only sets
    # a flag, which the loop sees by polling the flag as a stream.
    def __init__(self):
        self.state = 0

    def ioctl(self, req, flags):
        if req == _POLL:
            return self.state * flags
        return None

    def set(self):
        self.state = 1

    def clear(self):
        self.state = 0

    def wait(self):
        if not self.state:
            yield _io_queue.queue_read(self)
        self.state = 0


class Lock:
    # state: 0 free, 1 held, or the waiting task it was handed to.
    def __init__(self):
        self.state = 0
        self.waiting = TaskQueue()

    def locked(self):
        return self.state == 1

    def release(self):
        if self.state != 1:
            raise RuntimeError("Lock not acquired")
        if self.waiting.peek():
            self.state = self.waiting.pop()
            _task_queue.push(self.state)
        else:
            self.state = 0

    def acquire(self):
        if self.state != 0:
            self.waiting.push(_cur_task)
            _cur_task.data = self.waiting
            try:
                yield
            except CancelledError as er:
                if self.state == _cur_task:
                    # Handed the lock as we were cancelled: pass it on.
                    self.state = 1
                    self.release()
                raise er
        self.state = 1
        return True

    async def __aenter__(self):
        return await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        return self.release()


# --- Streams ---------------------------------------------------------------


class Stream:
    # Wraps any object with read/readinto/readline/write (and ioctl for
    # polling): the console, a UART, a custom stream.
    def __init__(self, s, e={}):
        self.s = s
        self.e = e
        self.out_buf = b""

    def get_extra_info(self, v):
        return self.e[v]

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.close()

    def close(self):
        pass

    async def wait_closed(self):
        self.s.close()

    aclose = wait_closed

    async def read(self, n=-1):
        r = b""
        while True:
            yield _io_queue.queue_read(self.s)
            r2 = self.s.read(n)
            if r2 is not None:
                if n >= 0:
                    return r2
                if not len(r2):
                    return r
                r += r2

    async def readinto(self, buf):
        yield _io_queue.queue_read(self.s)
        return self.s.readinto(buf)

    async def readexactly(self, n):
        r = b""
        while n:
            yield _io_queue.queue_read(self.s)
            r2 = self.s.read(n)
            if r2 is not None:
                if not len(r2):
                    raise EOFError
                r += r2
                n -= len(r2)
        return r

    async def readline(self):
        l = b""
        while True:
            yield _io_queue.queue_read(self.s)
            l2 = self.s.readline()
            # None: nothing after all (a UART's timeout passed); wait again.
            if l2 is None:
                continue
            l += l2
            if not l2 or l[-1] == 10:
                return l

    def write(self, buf):
        if not self.out_buf:
            # Nothing queued: try the stream now.
            ret = self.s.write(buf)
            if ret == len(buf):
                return
            if ret is not None:
                buf = buf[ret:]
        self.out_buf += buf

    async def drain(self):
        if not self.out_buf:
            return (yield from sleep_ms(0))
        mv = memoryview(self.out_buf)
        off = 0
        while off < len(mv):
            yield _io_queue.queue_write(self.s)
            ret = self.s.write(mv[off:])
            if ret is not None:
                off += ret
        self.out_buf = b""

    async def awrite(self, buf, off=0, sz=-1):
        if off != 0 or sz != -1:
            buf = memoryview(buf)
            if sz == -1:
                sz = len(buf)
            buf = buf[off : off + sz]
        self.write(buf)
        await self.drain()

    async def awritestr(self, s):
        await self.awrite(s.encode())


StreamReader = Stream
StreamWriter = Stream


# --- Network streams (where the port has a socket module) -------------------


async def open_connection(host, port):
    import socket

    ai = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0]
    sock = socket.socket(ai[0], ai[1], ai[2])
    sock.setblocking(False)
    try:
        sock.connect(ai[-1])
    except OSError as er:
        if er.errno != 115:  # EINPROGRESS: connecting goes on in the background
            raise er
    yield _io_queue.queue_write(sock)
    ss = Stream(sock)
    return ss, ss


class Server:
    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.close()
        await self.wait_closed()

    def close(self):
        self.task.cancel()

    async def wait_closed(self):
        await self.task

    async def _serve(self, sock, cb):
        while True:
            try:
                yield _io_queue.queue_read(sock)
            except CancelledError:
                sock.close()
                return
            try:
                conn, addr = sock.accept()
            except OSError:
                continue
            conn.setblocking(False)
            ss = Stream(conn, {"peername": addr})
            create_task(cb(ss, ss))


async def start_server(cb, host, port, backlog=5):
    import socket

    ai = socket.getaddrinfo(host, port)[0]
    sock = socket.socket()
    sock.setblocking(False)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(ai[-1])
    sock.listen(backlog)
    srv = Server()
    srv.task = create_task(srv._serve(sock, cb))
    return srv
