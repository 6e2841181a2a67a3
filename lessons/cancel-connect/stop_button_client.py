#!/usr/bin/env python3
# stop_button_client.py -- the fix: a non-blocking connect() with a deadline,
# cancelled the way a browser's stop button cancels a page that never loads.
# setblocking(0) makes connect() return at once (EINPROGRESS); select() then
# waits for the connection, but only until the deadline, and the program
# stays free to give up. It prints with flush=True: with its output on a pipe
# (as socket-lessons reads it) Python would keep the lines until it exits.
import os
import select
import socket
import sys
import time

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
deadline_s = float(os.environ.get("STOP_AFTER_S", 2.0))  # the learner presses Stop

sock = socket.socket()
sock.setblocking(0)  # Now setting to non-blocking mode
err = sock.connect_ex((host, port))  # returns at once: EINPROGRESS
print("connect_ex returned", err, "- the program is free to do other work", flush=True)
started = time.monotonic()
_, writable, _ = select.select([], [sock], [], deadline_s)
if writable and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
    print("Connected", flush=True)
else:
    print("Stop! Gave up after %.1f s" % (time.monotonic() - started), flush=True)
    sock.close()  # cancels the half-open connection
