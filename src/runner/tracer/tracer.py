"""socket-lessons tracer: runs a lesson program with its calls reported.

Usage: python3 tracer.py --channel-fd 3 --calls calls.json -- PROGRAM.py [ARGS...]

The program's source is not touched: this module wraps the calls listed in
calls.json (socket methods, select, poll, epoll, selectors, time.sleep), then
runs the program with runpy as __main__. Events go out as JSON lines on the
channel (a socketpair the app created), never on the program's stdout or
stderr, which stay the program's own.

The conversation on the channel (the app validates each event once, in
src/trace/channel.ts):
  tracer -> app  hello   pid, python, t
                 caps    what this platform lets the tracer measure
  app -> tracer  start   {"cmd": "start", "sample_ms": N, "holds": [hold...], "count": [call...]}: run the program
                         now, sampling every N ms; `count`: calls whose hot lines keep kernel counts too
                 hold    {"cmd": "hold", "id", "call", "when": "before"|"after", "nth"}: wait at that point of the program
                 release {"cmd": "release", "id"}: go on (or never wait there)
  tracer -> app  ready   t: when start arrived (the app's clock check)
                                call    id, call, fd, line, t, nth, timeout_s, mode, bytes, fields   a call reported in full, on entry
                 ret     id, call, fd, line, t, nth, ms, result, bytes, [sleeps, cpu_ms, asleep_ms], fields, [totals, sample]
                 err     id, call, fd, line, t, nth, ms, errno, exc, message, sleeps, cpu_ms, asleep_ms
                 sum     call, line, fd, calls, bytes, ms, errors{}, t, last, [sleeps, cpu_ms, asleep_ms]   calls on a hot
                         line since the last sum (sleeps, cpu_ms: for the calls the start command counts)
                 sample  t, in{call,line,since,fd,nth,id,timeout_s}|null, socks[]    every SAMPLE_INTERVAL_MS
                 gone    fd, t, totals        a socket the program dropped without close()
                 exit    t, left, cpu_ms, sleeps, ready_ms, socks[]   the program's end (atexit); left: processes
                         it had started that still ran, which the tracer then stopped
                 held    id, call, when, line, nth, t   the program waits at a hold
                 released id, t, ms                     ... and goes on
All times are time.monotonic_ns(); the app maps them onto its run clock.

Per-call kernel counts: `sleeps` is the change in the calling thread's
voluntary context switches (getrusage RUSAGE_THREAD ru_nvcsw) between entry
and return, `cpu_ms` the change in its user + system CPU time, `asleep_ms`
the call's time neither on a CPU nor waiting for one (its duration, minus
cpu_ms, minus the change in schedstat's run-queue wait; Linux). A sleep is
any wait: for buffer room, and also for the GIL while the tracer's own
sampler thread holds it (short, and rare), which is why a check judges time
asleep rather than a count of zero. They are exact counts, taken for every
call reported in full; calls on a hot line are
summarised without them (two getrusage calls cost ~3 us, which a loop of
133,000 recv() calls would pay 0.4 s for), unless the start command names
the call in `count`: an exercise that judges "never asleep inside send()"
needs every send() counted, and pays for exactly those calls.
"""

import atexit
import errno as errno_names
import fcntl
import io
import json
import os
import runpy
import select
import selectors
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import weakref

try:
    import resource
    _RUSAGE_THREAD = getattr(resource, "RUSAGE_THREAD", None)  # Linux only
except ImportError:  # not on every platform Python runs on
    resource = None
    _RUSAGE_THREAD = None

SAMPLE_INTERVAL_MS = 20  # the socket queues and "inside which call"; the app's start command says how often
SUMMARY_INTERVAL_MS = 100  # hot lines are flushed this often
FULL_CALLS_PER_LINE = 3  # the first calls at each (call, line) are reported one by one, with kernel counts
# Python sizes stdout's buffer from st_blksize: 4 KiB for the socketpair the
# app reads, so the blocking lesson's server would make ~40,000 write() calls
# and wake the app for each. 64 KiB cuts that 16-fold (about a second of the
# lesson on 2 cores). What the program prints, and in what order, is the same;
# when the app stops reading, print() still blocks.
STDOUT_BUFFER = 64 * 1024
# The channel is moved off fd 3 to a descriptor at or above this, close-on-exec:
# a program writing to fd 3, or a child it starts, cannot reach it by accident.
CHANNEL_FD_MIN = 200

# Linux ioctl numbers for a socket's queues (asm-generic/ioctls.h): SIOCOUTQ
# is TIOCOUTQ, bytes in the send queue not yet acknowledged; SIOCINQ is
# FIONREAD, bytes received and not yet read by the program.
SIOCOUTQ = 0x5411
SIOCINQ = 0x541B
TCP_INFO = getattr(socket, "TCP_INFO", None)
TCP_STATES = {
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
    6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
}
IS_LINUX = sys.platform.startswith("linux")

_lock = threading.Lock()
_channel_fd = -1
_channel_id = None  # (st_dev, st_ino) of the channel, to notice the program reusing its number
_program_path = ""
_main_thread = threading.main_thread()
# In a child the program forks (os.fork, multiprocessing) the wrappers stay
# but say nothing: the channel is the program's, and the child's calls are
# not the program's (its atexit must not report the program's exit either).
_forked = False


def _in_forked_child():
    global _forked
    _forked = True


os.register_at_fork(after_in_child=_in_forked_child)
_next_id = 0
_depth = 0  # > 0 while the main thread is inside a traced call: calls made inside it pass through
_nth = {}  # call -> [calls made so far]: the `nth` of each
_line_counts = {}  # call -> {line: calls reported in full there}
_hot = {}  # call -> {(line, fd): HotLine}
_counted = frozenset()  # calls whose hot lines keep kernel counts too (the start command's `count`)
_socks = weakref.WeakValueDictionary()  # fd -> the program's live sockets (weak: GC must still close them)
_current = None  # (call, line, since_ns, fd, nth, id, timeout_s) while the main thread is inside a call
_totals = {}  # fd -> Totals
_addrs = {}  # fd -> (local, peer) once connected
_ASK = object()  # in _current: the timeout is the socket's, read when sampled


class Totals:
    """What one socket carried, per the calls the program made on it."""
    __slots__ = ("sent", "received", "send_calls", "recv_calls", "unsent", "exact")

    def __init__(self):
        self.sent = 0  # bytes send calls took
        self.received = 0  # bytes recv calls returned
        self.send_calls = 0
        self.recv_calls = 0
        self.unsent = 0  # bytes the last send call was given but did not take
        self.exact = True  # False after a sendall() that raised: CPython does not say how much it sent

    def as_dict(self):
        return {"sent": self.sent if self.exact else None, "received": self.received,
                "send_calls": self.send_calls, "recv_calls": self.recv_calls,
                "unsent": self.unsent if self.exact else None}


def _totals_of(fd):
    tot = _totals.get(fd)
    if tot is None:
        tot = _totals[fd] = Totals()
    return tot


# ---------------------------------------------------------------------------
# The channel.

def _die_quietly():
    # The app is gone: take every process the program started down with us
    # (its process group, and those that left it), so none outlives the lesson.
    try:
        _stop_descendants()
        os.killpg(0, signal.SIGKILL)
    finally:
        os._exit(70)


# ---------------------------------------------------------------------------
# The program's descendants. A child that calls setsid(), a double-forked
# daemon or a Popen(start_new_session=True) leaves the program's process
# group, so stopping the group misses it. As a child subreaper this process
# inherits every orphan below it (instead of init), so while it lives all of
# them stay in its tree, found through /proc/PID/task/TID/children.

PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


def _become_subreaper():
    if not IS_LINUX:
        return False
    try:
        import ctypes  # ~12 ms, paid once per program; there is no prctl() in the standard library
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children_of(pid):
    kids = []
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                kids.extend(int(k) for k in f.read().split())
        except OSError:
            pass
    return kids


def _stop_descendants():
    """Freezes every descendant (SIGSTOP: a stopped process cannot fork) until no new one
    appears, then kills them all. Nothing is killed during the walk, so nothing is
    reparented away from it."""
    if not IS_LINUX:
        return 0
    found = set()
    frontier = [os.getpid()]
    for _ in range(64):
        new = set()
        for pid in frontier:
            new.update(k for k in _children_of(pid) if k not in found)
        if not new:
            break
        for pid in new:
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError:
                pass
        found |= new
        frontier = [os.getpid()] + list(found)  # orphans of ones that exited meanwhile come to us
    killed = 0
    for pid in found:
        alive = _is_alive(pid)
        try:
            os.kill(pid, signal.SIGKILL)
            killed += alive
        except OSError:
            pass
    return killed


def _is_alive(pid):
    """Not a zombie: a child that had already exited was not left running."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _channel_broken(why):
    # The program closed (or reused) the channel's descriptor: say so where
    # the learner sees it, the program's stderr, then stop.
    try:
        os.write(2, ("socket-lessons: the program %s the trace channel (fd %d), so its calls can no longer be "
                     "followed; stopping it.\n" % (why, _channel_fd)).encode())
    finally:
        try:
            _stop_descendants()
        finally:
            os._exit(71)


def _check_channel():
    try:
        st = os.fstat(_channel_fd)
    except OSError:
        _channel_broken("closed")
    if (st.st_dev, st.st_ino) != _channel_id:
        _channel_broken("replaced")


def _emit(event):
    if _forked:
        return
    line = (json.dumps(event, separators=(",", ":")) + "\n").encode()
    with _lock:
        _check_channel()
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(_channel_fd, view):]
        except OSError as exc:
            if exc.errno == errno_names.EBADF:
                _channel_broken("closed")
            _die_quietly()


def _read_command(buf):
    """One JSON line from the app; (command, rest of the buffer). EOF: the app is gone."""
    while b"\n" not in buf:
        try:
            chunk = os.read(_channel_fd, 4096)
        except OSError as exc:
            if exc.errno == errno_names.EBADF:
                _channel_broken("closed")
            chunk = b""
        if not chunk:
            _die_quietly()
        buf += chunk
    line, _, rest = buf.partition(b"\n")
    return json.loads(line), rest


def _watch_channel(buf):
    """The app's commands (holds and their release); exit when the app goes away (EOF)."""
    while True:
        command, buf = _read_command(buf)
        if command.get("cmd") == "hold":
            _arm(command)
        elif command.get("cmd") == "release":
            _release(command.get("id"))


# ---------------------------------------------------------------------------
# Holds: the app asks for the program to wait at a call (before it, or after
# it returns) while the learner reads; the program's thread then really
# waits here, and the kernel keeps everything else as it is (a full queue
# stays full, a peer stays asleep). The list is replaced, never changed in
# place, so the program's thread can read it without a lock.

_holds = []  # armed holds: {"id", "call", "when": "before"|"after", "nth": N or None}
_hold_releases = {}  # id -> threading.Event, set when the app releases it


def _arm(spec):
    global _holds
    _hold_releases[spec["id"]] = threading.Event()
    _holds = _holds + [spec]


def _release(hold_id):
    global _holds
    released = _hold_releases.get(hold_id)
    if released is not None:
        released.set()
    _holds = [h for h in _holds if h["id"] != hold_id]


def _maybe_hold(when, name, nth, line):
    """Waits here if an armed hold names this point of the program."""
    global _holds
    if _forked:
        return
    for hold in _holds:
        if hold["call"] == name and hold["when"] == when and hold.get("nth") in (None, nth):
            break
    else:
        return
    _holds = [h for h in _holds if h is not hold]
    released = _hold_releases[hold["id"]]
    if released.is_set():
        return
    since = time.monotonic_ns()
    _emit({"ev": "held", "id": hold["id"], "call": name, "when": when, "line": line, "nth": nth, "t": since})
    released.wait()
    _emit({"ev": "released", "id": hold["id"], "t": time.monotonic_ns(), "ms": (time.monotonic_ns() - since) / 1e6})


def _move_channel(fd):
    """The channel on a high close-on-exec descriptor, fd `fd` closed; returns the new number."""
    global _channel_id
    try:
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, CHANNEL_FD_MIN)
        os.close(fd)
    except OSError:  # fewer descriptors allowed than CHANNEL_FD_MIN: keep it where it is
        high = fd
        os.set_inheritable(fd, False)
    st = os.fstat(high)
    _channel_id = (st.st_dev, st.st_ino)
    return high


# ---------------------------------------------------------------------------
# Where a call came from.

def _program_line():
    """The line of the lesson program that made the current call."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename == _program_path:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _errno_name(exc):
    code = getattr(exc, "errno", None)
    if code is None:
        return type(exc).__name__
    return errno_names.errorcode.get(code, str(code))


def _addr_text(addr):
    if isinstance(addr, tuple) and len(addr) >= 2:
        host = addr[0]
        return ("[%s]:%s" if ":" in str(host) else "%s:%s") % (host, addr[1])
    if isinstance(addr, (str, bytes)):
        return addr if isinstance(addr, str) else addr.decode(errors="replace")
    return None


def _nbytes(data):
    try:
        return memoryview(data).nbytes
    except TypeError:
        return None


def _timeout_mode(seconds):
    if seconds is None:
        return "blocking"
    return "non-blocking" if seconds == 0 else "timeout"


# ---------------------------------------------------------------------------
# What each kind of argument and result says (the kinds of calls.json).
# An args reader: (args, kwargs) -> (bytes asked or None, timeout_s or _ASK, fields).
# args[0] is the socket for socket methods.

def _arg(args, kwargs, index, name, default=None):
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _args_none(args, kwargs):
    return None, _ASK, None


def _args_address(args, kwargs):
    return None, _ASK, {"addr": _addr_text(_arg(args, kwargs, 1, "address"))}


def _args_backlog(args, kwargs):
    backlog = _arg(args, kwargs, 1, "backlog")
    return None, _ASK, {"backlog": backlog if isinstance(backlog, int) else None}


def _args_data(args, kwargs):
    return _nbytes(_arg(args, kwargs, 1, "data")), _ASK, None


def _args_size(args, kwargs):
    size = _arg(args, kwargs, 1, "bufsize")
    return (size if isinstance(size, int) else None), _ASK, None


def _args_buffer(args, kwargs):
    nbytes = _arg(args, kwargs, 2, "nbytes", 0)
    return (nbytes or _nbytes(_arg(args, kwargs, 1, "buffer"))), _ASK, None


_SHUT = {getattr(socket, n): n for n in ("SHUT_RD", "SHUT_WR", "SHUT_RDWR")}


def _args_how(args, kwargs):
    return None, _ASK, {"how": _SHUT.get(_arg(args, kwargs, 1, "how"))}


def _args_closing(args, kwargs):
    sock = args[0]
    fields = {"connected": False, "state": None, "retrans": None}
    try:
        sock.getpeername()
        fields["connected"] = True
    except OSError:
        pass
    info = _tcp_info(sock)
    if info:
        fields["state"], fields["retrans"] = info[0], info[1]
    return None, _ASK, fields


def _args_value(args, kwargs):
    value = _arg(args, kwargs, 1, "value")
    return None, _ASK, {"value": value if isinstance(value, (int, float, bool)) or value is None else str(value)}


# Option numbers are reused across protocols (SO_REUSEADDR and SO_J1939_PROMISC
# are both 2), so names are looked up per level, from the options lessons use.
_SOCKOPTS = {
    "SOL_SOCKET": ("SO_REUSEADDR", "SO_REUSEPORT", "SO_SNDBUF", "SO_RCVBUF", "SO_KEEPALIVE", "SO_LINGER",
                   "SO_RCVLOWAT", "SO_SNDLOWAT", "SO_RCVTIMEO", "SO_SNDTIMEO", "SO_BROADCAST", "SO_OOBINLINE",
                   "SO_ERROR", "SO_TYPE", "SO_DEBUG", "SO_DONTROUTE", "SO_PRIORITY"),
    "IPPROTO_TCP": ("TCP_NODELAY", "TCP_MAXSEG", "TCP_CORK", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT",
                    "TCP_QUICKACK", "TCP_USER_TIMEOUT", "TCP_NOTSENT_LOWAT", "TCP_SYNCNT", "TCP_LINGER2"),
    "IPPROTO_IP": ("IP_TOS", "IP_TTL"),
}
_SOCKOPT_NAMES = {
    (getattr(socket, level), getattr(socket, name)): name
    for level, names in _SOCKOPTS.items() if hasattr(socket, level)
    for name in names if hasattr(socket, name)
}


def _args_sockopt(args, kwargs):
    level, option, value = (list(args[1:4]) + [None] * 3)[:3]
    shown = value if isinstance(value, int) else _nbytes(value)
    return None, _ASK, {"option": _SOCKOPT_NAMES.get((level, option), str(option)), "value": shown}


def _seconds(value):
    """A timeout argument in seconds; None (or negative, for poll objects) waits forever."""
    if value is None or not isinstance(value, (int, float)) or value < 0:
        return None
    return value


def _args_select(args, kwargs):
    def count(x):
        try:
            return len(x)
        except TypeError:
            return None
    timeout = _seconds(_arg(args, kwargs, 3, "timeout"))
    return None, timeout, {"readers": count(_arg(args, kwargs, 0, "rlist")),
                           "writers": count(_arg(args, kwargs, 1, "wlist"))}


def _args_timeout_ms(args, kwargs):
    ms = _seconds(_arg(args, kwargs, 1, "timeout"))
    return None, (None if ms is None else ms / 1000), None


def _args_timeout_s(args, kwargs):
    return None, _seconds(_arg(args, kwargs, 1, "timeout")), None


def _args_sleep_s(args, kwargs):
    return None, _seconds(_arg(args, kwargs, 0, "secs")), None


ARGS = {
    "none": _args_none, "address": _args_address, "backlog": _args_backlog, "data": _args_data,
    "size": _args_size, "buffer": _args_buffer, "how": _args_how, "closing": _args_closing,
    "flag": _args_value, "seconds": _args_value, "sockopt": _args_sockopt, "select_lists": _args_select,
    "timeout_ms": _args_timeout_ms, "timeout_s": _args_timeout_s, "sleep_s": _args_sleep_s,
}

# A result reader: (sock, asked, result) -> (result number or None, bytes moved or None, fields).
# `moved` is the fast part the hot path needs too; `direction` says which total it adds to.


def _local_port(sock):
    try:
        return sock.getsockname()[1]
    except (OSError, IndexError, TypeError):
        return None


def _res_none(sock, asked, result):
    return None, None, None


def _res_bound(sock, asked, result):
    return None, None, {"port": _local_port(sock)}


def _res_listening(sock, asked, result):
    return None, None, {"port": _local_port(sock)}


def _res_accepted(sock, asked, result):
    conn, peer = result
    _register(conn)
    local, _ = _remember_addrs(conn)
    return conn.fileno(), None, {"peer": _addr_text(peer), "local": local}


def _res_connected(sock, asked, result):
    local, peer = _remember_addrs(sock)
    return None, None, {"peer": peer, "local": local}


def _res_errno_code(sock, asked, result):
    fields = {"errno": errno_names.errorcode.get(result, str(result)) if result else None}
    if result == 0:
        fields["local"], fields["peer"] = _remember_addrs(sock)
    return result, None, fields


def _res_count(sock, asked, result):
    return result, result, None


def _res_sent_all(sock, asked, result):
    return None, asked, None


def _res_data(sock, asked, result):
    n = len(result)
    return n, n, None


def _res_data_from(sock, asked, result):
    n = len(result[0])
    return n, n, {"from": _addr_text(result[1])}


def _res_ready_lists(sock, asked, result):
    readable, writable = len(result[0]), len(result[1])
    return readable + writable + len(result[2]), None, {"readable": readable, "writable": writable}


def _res_ready_events(sock, asked, result):
    try:
        return len(result), None, None
    except TypeError:
        return None, None, None


RESULTS = {
    "none": _res_none, "bound": _res_bound, "listening": _res_listening, "accepted": _res_accepted,
    "connected": _res_connected, "errno_code": _res_errno_code, "sent_count": _res_count,
    "sent_all": _res_sent_all, "received_data": _res_data, "received_count": _res_count,
    "received_data_from": _res_data_from, "ready_lists": _res_ready_lists, "ready_events": _res_ready_events,
}
# Bytes moved by a result, for the hot path: (result, asked) -> bytes.
MOVED = {
    "sent_count": lambda r, asked: r or 0,
    "sent_all": lambda r, asked: asked or 0,
    "received_data": lambda r, asked: len(r),
    "received_count": lambda r, asked: r or 0,
    "received_data_from": lambda r, asked: len(r[0]),
}
SENDING = {"sent_count", "sent_all"}
RECEIVING = {"received_data", "received_count", "received_data_from"}


def _account(fd, kind, asked, moved, raised=None):
    """Adds one send or recv call to its socket's totals."""
    tot = _totals.get(fd)
    if tot is None:
        tot = _totals_of(fd)
    if kind in SENDING:
        tot.send_calls += 1
        if raised is None:
            tot.sent += moved
            tot.unsent = (asked or 0) - moved
        elif kind == "sent_all" and not isinstance(raised, BlockingIOError):
            tot.exact = False  # sendall() raised part-way: how much it sent is not told
        else:
            tot.unsent = asked or 0
    elif kind in RECEIVING:
        tot.recv_calls += 1
        if raised is None:
            tot.received += moved


def _remember_addrs(sock):
    fd = sock.fileno()
    known = _addrs.get(fd)
    if known:
        return known
    try:
        pair = (_addr_text(sock.getsockname()), _addr_text(sock.getpeername()))
    except OSError:
        return None, None
    _addrs[fd] = pair
    return pair


# ---------------------------------------------------------------------------
# Wrapping one call.

_schedstat_fd = None  # the main thread's /proc/thread-self/schedstat, kept open (Linux): its run-queue wait


def _open_schedstat():
    """Opened by the main thread (thread-self is the opener's), moved high and close-on-exec like the channel."""
    global _schedstat_fd
    if not IS_LINUX:
        return
    try:
        fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY | os.O_CLOEXEC)
        try:
            _schedstat_fd = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, CHANNEL_FD_MIN)
            os.close(fd)
        except OSError:
            _schedstat_fd = fd
    except OSError:
        _schedstat_fd = None


def _run_delay_ns():
    """ns the main thread has waited for a CPU in all (schedstat's second number); None where unreadable."""
    global _schedstat_fd
    if _schedstat_fd is None:
        return None
    try:
        return int(os.pread(_schedstat_fd, 64, 0).split()[1])
    except (OSError, IndexError, ValueError):
        _schedstat_fd = None  # closed by the program, or reused: no more readings
        return None


_thread_time_ns = time.thread_time_ns


def _rusage():
    """(voluntary switches, CPU ns, run-queue wait ns) of the calling thread.

    The CPU time is CLOCK_THREAD_CPUTIME_ID's, which the kernel brings up to
    date when asked; getrusage's utime + stime is only as fresh as the last
    tick or switch, so a 20 us call would read 0 or 4 ms of CPU, and its time
    asleep (the rest) could not be told."""
    if _RUSAGE_THREAD is None:
        return None
    return resource.getrusage(_RUSAGE_THREAD).ru_nvcsw, _thread_time_ns(), _run_delay_ns()


def _counts(before, after, wall_ns):
    """(sleeps, cpu_ms, asleep_ms) of a call: asleep is its time neither on a CPU nor waiting for one.

    The counters are read just outside the call's own clock readings
    (run-queue wait outermost, then CPU time): whatever happens between the
    readings (their own cost, a preemption) counts as CPU or as waiting for
    a CPU, never as asleep. So asleep_ms is a lower bound, a few us below 0
    for a call that never slept; it is not clamped here, so that a sum over
    many calls stays a lower bound rather than growing with their number."""
    if before is None or after is None:
        return None, None, None
    cpu_ns = after[1] - before[1]
    asleep_ms = None
    if before[2] is not None and after[2] is not None:
        asleep_ms = round((wall_ns - cpu_ns - (after[2] - before[2])) / 1e6, 4)
    return after[0] - before[0], round(cpu_ns / 1e6, 4), asleep_ms


def _socket_timeout(sock):
    try:
        return sock.gettimeout()
    except OSError:
        return None


class HotLine:
    """A hot (call, line, fd): counts that only grow. The program's thread adds
    to them without a lock (it must stay cheap: a recv() loop makes 133,000
    calls); the sampler reads them and reports what grew since its last look.
    A read between two of the adds can be off by one call, which the next
    summary makes up for."""
    __slots__ = ("name", "line", "fd", "calls", "bytes", "ns", "errors", "last_nth", "last_end", "last_ns",
                 "last_result", "last_bytes", "told_calls", "told_bytes", "told_ns", "told_errors", "run_start",
                 "counted", "sleeps", "cpu_ms", "asleep_ms", "told_sleeps", "told_cpu_ms", "told_asleep_ms")

    def __init__(self, name, line, fd):
        self.name, self.line, self.fd = name, line, fd
        self.calls = self.bytes = self.ns = 0
        self.counted = name in _counted and _RUSAGE_THREAD is not None  # kernel counts of every call, summed
        self.sleeps = self.told_sleeps = 0
        self.cpu_ms = self.told_cpu_ms = 0.0
        self.asleep_ms = self.told_asleep_ms = 0.0  # None once a call's could not be told
        self.errors = {}
        self.last_nth = self.last_end = self.last_ns = self.last_result = self.last_bytes = None
        self.told_calls = self.told_bytes = self.told_ns = 0
        self.told_errors = {}
        self.run_start = 0  # calls when the current run began


_hot_lines = []  # every HotLine, for the sampler (appended under _lock)


def _data_arg(args, kwargs):
    data = args[1] if len(args) > 1 else kwargs.get("data")
    return len(data) if type(data) is bytes else _nbytes(data)


def _make_traced(name, spec, original, on_socket):
    """A function that calls `original` the way the program asked, and reports it."""
    read_args = ARGS[spec["args"]]
    read_result = RESULTS[spec["result"]]
    result_kind = spec["result"]
    moved_of = MOVED.get(result_kind)
    carries_data = moved_of is not None
    sending = result_kind in SENDING
    receiving = result_kind in RECEIVING
    returns_data = result_kind == "received_data"  # recv(): the bytes themselves
    returns_count = result_kind in ("sent_count", "received_count")
    plain_data = spec["args"] == "data"
    monotonic_ns = time.monotonic_ns
    get_ident = threading.get_ident
    main_ident = _main_thread.ident
    getframe = sys._getframe
    program_line = _program_line
    # Shared by every wrapper of one call (several selector classes are "selector").
    counter = _nth.setdefault(name, [0])
    line_counts = _line_counts.setdefault(name, {})
    hot = _hot.setdefault(name, {})
    sites = {}  # code -> {instruction offset: line}
    program_file = _program_path
    counting = name in _counted and _RUSAGE_THREAD is not None
    rusage = _rusage

    def traced(*args, **kwargs):
        global _current, _depth
        if _depth or get_ident() != main_ident:
            return original(*args, **kwargs)
        caller = getframe(1)
        code = caller.f_code
        if code.co_filename == program_file:
            # A call site of the program: its line, read once. f_lineno walks the
            # code's line table, a cost a hot loop would pay on every call.
            at = sites.get(code)
            if at is None:
                at = sites[code] = {}
            line = at.get(caller.f_lasti)
            if line is None:
                line = at[caller.f_lasti] = caller.f_lineno
        else:
            line = program_line()  # called from a library (create_connection): the program's line above it
        counter[0] += 1
        nth = counter[0]
        seen = line_counts.get(line, 0)
        if seen < FULL_CALLS_PER_LINE:
            line_counts[line] = seen + 1
            sock = args[0] if on_socket else None
            fd = sock.fileno() if on_socket else None
            return _full_call(name, line, sock, fd, nth, original, args, kwargs, read_args, read_result,
                              result_kind, moved_of)
        # The hot path: no events, no kernel counts; the sampler summarises.
        fd = args[0].fileno() if on_socket else None
        hl = hot.get((line, fd))
        if hl is None:
            hl = hot[(line, fd)] = HotLine(name, line, fd)
            with _lock:
                _hot_lines.append(hl)
        if sending:
            asked = _data_arg(args, kwargs) if plain_data else read_args(args, kwargs)[0]
        else:
            asked = None
        timeout = _ASK if on_socket else read_args(args, kwargs)[1]
        if _holds:
            _maybe_hold("before", name, nth, line)
        before = rusage() if counting else None
        start = monotonic_ns()
        _current = (name, line, start, fd, nth, None, timeout)
        _depth = 1
        try:
            result = original(*args, **kwargs)
        except BaseException as exc:
            end = monotonic_ns()
            counts = _counts(before, rusage(), end - start) if counting else (None, None, None)
            _depth = 0
            _current = None
            if carries_data:
                _account(fd, result_kind, asked, 0, exc)
            _hot_error(hl, nth, start, end, exc, counts)
            raise
        end = monotonic_ns()
        counts = _counts(before, rusage(), end - start) if counting else None
        _depth = 0
        _current = None
        if carries_data:
            moved = len(result) if returns_data else result if returns_count else moved_of(result, asked)
            tot = _totals.get(fd)
            if tot is None:
                tot = _totals_of(fd)
            if sending:
                tot.send_calls += 1
                tot.sent += moved
                tot.unsent = (asked or 0) - moved
            else:
                tot.recv_calls += 1
                tot.received += moved
                if moved == 0:  # the peer closed: always a full line, after the summary before it
                    _flush_sums()
                    _emit(_ret_event(None, name, fd, line, end, nth, (end - start) / 1e6, 0, 0, counts, None,
                                     tot.as_dict()))
                    if _holds:
                        _maybe_hold("after", name, nth, line)
                    return result
        else:
            moved = 0
        hl.calls += 1
        hl.bytes += moved
        hl.ns += end - start
        if counts is not None:
            hl.sleeps += counts[0]
            hl.cpu_ms += counts[1]
            hl.asleep_ms = None if hl.asleep_ms is None or counts[2] is None else hl.asleep_ms + counts[2]
        hl.last_nth = nth
        hl.last_end = end
        hl.last_ns = end - start
        hl.last_result = result if type(result) is int else None
        hl.last_bytes = moved
        if _holds:
            _maybe_hold("after", name, nth, line)
        return result

    traced.__name__ = getattr(original, "__name__", name)
    traced.__doc__ = getattr(original, "__doc__", None)
    return traced


def _ret_event(call_id, name, fd, line, t, nth, ms, result, nbytes, counts, fields, sock_fd_totals):
    event = {"ev": "ret", "id": call_id, "call": name, "fd": fd, "line": line, "t": t, "nth": nth, "ms": ms,
             "result": result, "bytes": nbytes, "fields": fields or {}}
    if counts is not None:
        event["sleeps"], event["cpu_ms"], event["asleep_ms"] = counts
    if sock_fd_totals is not None:
        event["totals"] = sock_fd_totals
    return event


def _full_call(name, line, sock, fd, nth, original, args, kwargs, read_args, read_result, result_kind, moved_of):
    global _current, _depth, _next_id
    if _holds:
        _maybe_hold("before", name, nth, line)
    _next_id += 1
    call_id = _next_id
    asked, timeout, fields = read_args(args, kwargs)
    if timeout is _ASK:
        timeout = _socket_timeout(sock) if sock is not None else None
    event = {"ev": "call", "id": call_id, "call": name, "fd": fd, "line": line, "t": time.monotonic_ns(),
             "nth": nth, "timeout_s": timeout, "mode": _timeout_mode(timeout), "bytes": asked, "fields": fields or {}}
    if name == "close":  # what the socket held and carried just before it goes
        tot = _totals.get(fd)
        event["totals"] = tot.as_dict() if tot else None
        event["local"], event["peer"] = _addrs.get(fd, (None, None))
        event["sample"] = _sock_sample(fd, sock) if fd is not None and fd >= 0 else None
    _emit(event)
    _current = (name, line, time.monotonic_ns(), fd, nth, call_id, timeout)
    _depth = 1
    before = _rusage()
    start = time.monotonic_ns()
    try:
        result = original(*args, **kwargs)
    except BaseException as exc:
        end = time.monotonic_ns()
        counts = _counts(before, _rusage(), end - start)
        _depth = 0
        _current = None
        if moved_of is not None:
            _account(fd, result_kind, asked, 0, exc)
        _emit({"ev": "err", "id": call_id, "call": name, "fd": fd, "line": line, "t": end, "nth": nth,
               "ms": (end - start) / 1e6, "errno": _errno_name(exc), "exc": type(exc).__name__,
               "message": str(exc), "sleeps": counts[0], "cpu_ms": counts[1], "asleep_ms": counts[2]})
        raise
    end = time.monotonic_ns()
    counts = _counts(before, _rusage(), end - start)
    _depth = 0
    _current = None
    if name == "socket":
        _register(sock)
    elif name == "close":
        _forget(fd)
    number, moved, result_fields = read_result(sock, asked, result)
    if moved_of is not None:
        _account(fd, result_kind, asked, moved)
    tot = _totals.get(fd) if moved_of is not None else None
    event = _ret_event(call_id, name, fd, line, end, nth, (end - start) / 1e6, number, moved, counts, result_fields,
                       tot.as_dict() if tot else None)
    if tot is not None:
        # The queues the instant the call returned: a non-blocking send's full
        # buffer, which the program may leave before the next 20 ms sample.
        event["sample"] = _sock_sample(fd, sock)
    _emit(event)
    if _holds:
        _maybe_hold("after", name, nth, line)
    return result


def _hot_error(hl, nth, start, end, exc, counts):
    err = _errno_name(exc)
    told = _line_counts.setdefault(hl.name + "!" + err, {})
    seen = told.get(hl.line, 0)
    if seen < FULL_CALLS_PER_LINE:  # the first of each error at a line, in full
        told[hl.line] = seen + 1
        _emit({"ev": "err", "id": None, "call": hl.name, "fd": hl.fd, "line": hl.line, "t": end, "nth": nth,
               "ms": (end - start) / 1e6, "errno": err, "exc": type(exc).__name__, "message": str(exc),
               "sleeps": counts[0], "cpu_ms": counts[1], "asleep_ms": counts[2]})
    else:
        hl.calls += 1
        hl.ns += end - start
        hl.errors[err] = hl.errors.get(err, 0) + 1
        if counts[0] is not None:
            hl.sleeps += counts[0]
            hl.cpu_ms += counts[1]
            hl.asleep_ms = None if hl.asleep_ms is None or counts[2] is None else hl.asleep_ms + counts[2]


def _flush_sums(final=False):
    """Summaries of hot lines; and the last call of each hot run that has ended, as a `ret`.

    A run is over when a whole summary interval passed without a call on its
    line (or the program ends): its last call is then told in full, so a
    loop's last send() or recv() is a fact like any other.
    """
    with _lock:
        lines = list(_hot_lines)
    now = time.monotonic_ns()
    for hl in lines:
        calls, nbytes, ns, errors = hl.calls, hl.bytes, hl.ns, dict(hl.errors)
        grew = calls - hl.told_calls
        if grew > 0:
            event = {"ev": "sum", "call": hl.name, "line": hl.line, "fd": hl.fd, "calls": grew,
                     "bytes": nbytes - hl.told_bytes, "ms": (ns - hl.told_ns) / 1e6, "t": now, "last": hl.last_nth}
            new_errors = {e: n - hl.told_errors.get(e, 0) for e, n in errors.items() if n > hl.told_errors.get(e, 0)}
            if new_errors:
                event["errors"] = new_errors
            if hl.counted:
                sleeps, cpu_ms, asleep_ms = hl.sleeps, hl.cpu_ms, hl.asleep_ms
                event["sleeps"], event["cpu_ms"] = sleeps - hl.told_sleeps, round(cpu_ms - hl.told_cpu_ms, 3)
                if asleep_ms is not None:
                    event["asleep_ms"] = round(asleep_ms - hl.told_asleep_ms, 3)
                hl.told_sleeps, hl.told_cpu_ms, hl.told_asleep_ms = sleeps, cpu_ms, asleep_ms
            hl.told_calls, hl.told_bytes, hl.told_ns, hl.told_errors = calls, nbytes, ns, errors
            _emit(event)
        if (grew == 0 or final) and hl.last_nth is not None and calls > hl.run_start:
            # Quiet for a whole interval (or the end): the run is over; its last call, in full.
            event = _ret_event(None, hl.name, hl.fd, hl.line, hl.last_end, hl.last_nth, hl.last_ns / 1e6,
                               hl.last_result, hl.last_bytes, None, None, None)
            event["run_calls"] = calls - hl.run_start
            hl.run_start = calls
            _emit(event)


# ---------------------------------------------------------------------------
# The program's sockets.

def _register(sock):
    try:
        fd = sock.fileno()
    except OSError:
        return
    if fd < 0 or _socks.get(fd) is sock:
        return
    with _lock:
        _socks[fd] = sock
        _totals[fd] = Totals()
        _addrs.pop(fd, None)
    # A socket the program drops without close() is closed by the garbage
    # collector; say what it carried then (close() detaches this).
    finalizer = weakref.finalize(sock, _socket_gone, fd, id(sock))
    finalizer.atexit = False
    _finalizers[id(sock)] = (fd, finalizer)


_finalizers = {}  # id(sock) -> (fd, finalize)


def _forget(fd):
    with _lock:
        _socks.pop(fd, None)
    for key, (ffd, finalizer) in list(_finalizers.items()):
        if ffd == fd:
            finalizer.detach()
            del _finalizers[key]
    _totals.pop(fd, None)
    _addrs.pop(fd, None)


def _socket_gone(fd, key):
    _finalizers.pop(key, None)
    tot = _totals.pop(fd, None)
    local, peer = _addrs.pop(fd, (None, None))
    _emit({"ev": "gone", "fd": fd, "t": time.monotonic_ns(), "totals": tot.as_dict() if tot else None,
           "local": local, "peer": peer})


# struct tcp_info (linux/tcp.h): tcpi_snd_wnd (the window the peer advertises)
# and, since Linux 6.2, tcpi_rcv_wnd (the window this end advertises).
TCP_INFO_SND_WND = 228
TCP_INFO_RCV_WND = 232
TCP_INFO_SIZE = 240


def _tcp_info(sock):
    """(state, retransmits, accept queue, backlog, snd_wnd, rcv_wnd) from TCP_INFO, Linux only."""
    if TCP_INFO is None or not IS_LINUX:
        return None
    try:
        raw = sock.getsockopt(socket.IPPROTO_TCP, TCP_INFO, TCP_INFO_SIZE)
    except OSError:
        return None
    state, _ca, retransmits = raw[0], raw[1], raw[2]
    # 8 bytes of u8 fields, then u32 rto, ato, snd_mss, rcv_mss, unacked,
    # sacked. For a LISTEN socket the kernel puts the accept queue length in
    # unacked and the backlog limit in sacked. An older kernel gives a shorter
    # struct: the windows are then unknown.
    unacked, sacked = struct.unpack_from("II", raw, 24)
    snd_wnd = struct.unpack_from("I", raw, TCP_INFO_SND_WND)[0] if len(raw) >= TCP_INFO_SND_WND + 4 else None
    rcv_wnd = struct.unpack_from("I", raw, TCP_INFO_RCV_WND)[0] if len(raw) >= TCP_INFO_RCV_WND + 4 else None
    return TCP_STATES.get(state, str(state)), retransmits, unacked, sacked, snd_wnd, rcv_wnd


def _sock_sample(fd, sock):
    rec = {"fd": fd}
    try:
        rec["sndbuf"] = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        rec["rcvbuf"] = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        info = _tcp_info(sock) if sock.type == socket.SOCK_STREAM else None
        if info:
            rec["state"], rec["retrans"] = info[0], info[1]
            if info[0] == "LISTEN":
                rec["acceptq"], rec["backlog"] = info[2], info[3]
            else:
                if info[4] is not None:
                    rec["snd_wnd"] = info[4]
                if info[5] is not None:
                    rec["rcv_wnd"] = info[5]
        if IS_LINUX and rec.get("state") != "LISTEN":
            buf = bytearray(4)
            fcntl.ioctl(fd, SIOCOUTQ, buf)
            rec["sndq"] = int.from_bytes(buf, sys.byteorder)
            fcntl.ioctl(fd, SIOCINQ, buf)
            rec["rcvq"] = int.from_bytes(buf, sys.byteorder)
    except OSError:
        return None  # closed between the listing and the read
    tot = _totals.get(fd)
    if tot is not None:
        rec["totals"] = tot.as_dict()
    if rec.get("state") not in (None, "LISTEN", "SYN_SENT", "CLOSE"):
        rec["local"], rec["peer"] = _remember_addrs(sock)
    return rec


def _in_call():
    cur = _current
    if cur is None:
        return None
    name, line, since, fd, nth, call_id, timeout = cur
    if timeout is _ASK:
        sock = _socks.get(fd)
        timeout = _socket_timeout(sock) if sock is not None else None
    return {"call": name, "line": line, "since": since, "fd": fd, "nth": nth, "id": call_id,
            "timeout_s": timeout, "mode": _timeout_mode(timeout)}


def _sampler(sleep, interval_ms):
    interval = interval_ms / 1000
    next_flush = time.monotonic_ns() + SUMMARY_INTERVAL_MS * 1_000_000
    while True:
        sleep(interval)
        socks = list(_socks.items())
        inside = _in_call()
        # t after reading the call: the call began before t (since <= t) and was still going at the read.
        event = {"ev": "sample", "t": time.monotonic_ns(), "in": inside,
                 "socks": [r for r in (_sock_sample(fd, s) for fd, s in socks if s.fileno() == fd) if r]}
        _emit(event)
        if event["t"] >= next_flush:
            _flush_sums()
            next_flush = event["t"] + SUMMARY_INTERVAL_MS * 1_000_000


def _at_exit():
    if _forked:
        return
    t = time.monotonic_ns()
    left = 0
    try:
        left = _stop_descendants()  # a program's end is its children's too, wherever they went
    finally:
        _report_exit(t, left)


def _ready_ms():
    """How long the main thread was ready to run but waiting for a CPU (schedstat's run-queue wait, Linux).

    A busy program on a loaded machine gets less CPU than its wall time: this
    is the time it lost to others, so "on a CPU for most of the time it could
    have been" can be told from "asleep, waiting for the network"."""
    ns = _run_delay_ns()
    return None if ns is None else round(ns / 1e6, 3)


def _report_exit(t, left):
    try:
        _flush_sums(final=True)
        usage = resource.getrusage(_RUSAGE_THREAD) if _RUSAGE_THREAD is not None else None
        socks = []
        for fd, sock in list(_socks.items()):
            tot = _totals.get(fd)
            local, peer = _addrs.get(fd, (None, None))
            # The queues as the program leaves them: a non-blocking sender may
            # exit before the sampler ever saw its full send queue.
            socks.append({"fd": fd, "totals": tot.as_dict() if tot else None, "local": local, "peer": peer,
                          "sample": _sock_sample(fd, sock)})
        _emit({"ev": "exit", "t": t, "left": left,
               "cpu_ms": round((usage.ru_utime + usage.ru_stime) * 1000, 3) if usage else None,
               "sleeps": usage.ru_nvcsw if usage else None, "ready_ms": _ready_ms(), "socks": socks})
    except Exception:
        pass


# ---------------------------------------------------------------------------
# Installing the wrappers named in calls.json.

class _PollProxy:
    """Stands in for a select.poll() or select.epoll() object (neither type can be subclassed or patched)."""
    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        return getattr(self._obj, name)

    def __enter__(self):
        self._obj.__enter__()
        return self

    def __exit__(self, *exc):
        return self._obj.__exit__(*exc)


def _install(name, spec):
    module_name, _, path = spec["hook"].partition(":")
    module = sys.modules.get(module_name) or __import__(module_name)
    on_socket = spec["on"] == "socket"
    if module_name == "socket" and path == "socket.__init__":
        _install_socket_init(name, spec)
    elif path.endswith("().poll") or path.endswith("().control"):
        factory_name, _, method = path.partition("().")
        _install_factory(name, spec, module, factory_name, method)
    elif path.startswith("*."):
        method = path[2:]
        for cls in vars(module).values():
            own = vars(cls).get(method) if isinstance(cls, type) and issubclass(cls, selectors.BaseSelector) else None
            if own is not None and not getattr(own, "__isabstractmethod__", False):
                setattr(cls, method, _make_traced(name, spec, own, on_socket))
    else:
        owner_path, _, attr = path.rpartition(".")
        owner = module
        for part in filter(None, owner_path.split(".")):
            owner = getattr(owner, part)
        setattr(owner, attr, _make_traced(name, spec, getattr(owner, attr), on_socket))


def _install_factory(name, spec, module, factory_name, method):
    real_factory = getattr(module, factory_name, None)
    if real_factory is None:
        return  # not on this platform (epoll is Linux only)
    traced_method = _make_traced(name, spec, lambda self, *a, **k: getattr(self._obj, method)(*a, **k), False)
    proxy = type("_%sProxy" % factory_name, (_PollProxy,), {method: traced_method, "__slots__": ()})

    def factory(*args, **kwargs):
        return proxy(real_factory(*args, **kwargs))

    if hasattr(real_factory, "fromfd"):
        factory.fromfd = lambda fd: proxy(real_factory.fromfd(fd))
    factory.__doc__ = real_factory.__doc__
    setattr(module, factory_name, factory)


def _install_socket_init(name, spec):
    original_init = socket.socket.__init__

    def init(self, *args, **kwargs):
        global _next_id
        original_init(self, *args, **kwargs)
        if threading.get_ident() != _main_thread.ident:
            return
        _register(self)
        if _depth or kwargs.get("fileno") is not None or len(args) >= 4:
            return  # made by another call (accept, socketpair) or around an existing fd
        line = _program_line()
        counter = _nth.setdefault(name, [0])
        counter[0] += 1
        nth = counter[0]
        line_counts = _line_counts.setdefault(name, {})
        if line is None or line_counts.get(line, 0) >= FULL_CALLS_PER_LINE:
            return
        line_counts[line] = line_counts.get(line, 0) + 1
        _next_id += 1
        t = time.monotonic_ns()
        fd = self.fileno()
        _emit({"ev": "call", "id": _next_id, "call": name, "fd": fd, "line": line, "t": t, "nth": nth,
               "timeout_s": None, "mode": "blocking", "bytes": None, "fields": {}})
        _emit(_ret_event(_next_id, name, fd, line, t, nth, 0, fd, None, None, None, None))

    socket.socket.__init__ = init


def _install_hooks(calls):
    for name, spec in calls.items():
        _install(name, spec)


def _tcp_window_readable():
    """Whether this kernel's TCP_INFO includes the advertised receive window (Linux 6.2+)."""
    if TCP_INFO is None or not IS_LINUX:
        return False
    probe = socket.socket()
    try:
        return len(probe.getsockopt(socket.IPPROTO_TCP, TCP_INFO, TCP_INFO_SIZE)) >= TCP_INFO_RCV_WND + 4
    except OSError:
        return False
    finally:
        probe.close()


def _capabilities():
    return {"ev": "caps", "sock_queues": IS_LINUX, "tcp_info": TCP_INFO is not None and IS_LINUX,
            "tcp_window": _tcp_window_readable(), "rusage_thread": _RUSAGE_THREAD is not None,
            "platform": sys.platform}


# ---------------------------------------------------------------------------

def _widen_stdout():
    out = sys.stdout
    if out is None or out.isatty():
        return
    out.flush()
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(out.fileno(), "w", closefd=False), STDOUT_BUFFER),
                                  encoding=out.encoding, errors=out.errors)


USAGE = "usage: tracer.py --channel-fd N --calls calls.json -- PROGRAM.py [ARGS...]"


def main(argv):
    global _channel_fd, _program_path, _counted
    if len(argv) < 6 or argv[0] != "--channel-fd" or argv[2] != "--calls" or argv[4] != "--":
        print(USAGE, file=sys.stderr)
        return 2
    with open(argv[3], encoding="utf-8") as f:
        registry = json.load(f)
    _channel_fd = _move_channel(int(argv[1]))
    program = os.path.realpath(argv[5])
    _program_path = program
    _emit({"ev": "hello", "pid": os.getpid(), "python": "%d.%d.%d" % sys.version_info[:3],
           "t": time.monotonic_ns()})
    _emit(_capabilities())
    command, rest = _read_command(b"")  # {"cmd": "start", "sample_ms": N, "holds": [...]}: the app is listening
    for hold in command.get("holds", []):  # holds at a given call (nth): armed before the program runs
        _arm(hold)
    _counted = frozenset(command.get("count", []))  # before the wrappers are made: they read it once
    _open_schedstat()
    _become_subreaper()  # before the program can start anything
    _emit({"ev": "ready", "t": time.monotonic_ns()})
    sleep = time.sleep  # the sampler's own, before time.sleep is traced
    _install_hooks(registry["calls"])
    atexit.register(_at_exit)
    threading.Thread(target=_watch_channel, args=(rest,), name="socket-lessons-watch", daemon=True).start()
    sample_ms = command.get("sample_ms", SAMPLE_INTERVAL_MS)  # one rate for the app's probe and the tracer
    threading.Thread(target=_sampler, args=(sleep, sample_ms), name="socket-lessons-sampler", daemon=True).start()
    _widen_stdout()
    sys.argv = [argv[5]] + argv[6:]
    sys.path[0] = os.path.dirname(program)
    try:
        runpy.run_path(program, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as exc:
        # The program's own traceback, as if it ran by itself: without the
        # tracer's wrappers and runpy's frames around it.
        here = os.path.realpath(__file__)
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if os.path.realpath(f.filename) != here and "runpy" not in f.filename]
        sys.stderr.write("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
                         + "".join(traceback.format_exception_only(type(exc), exc)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
