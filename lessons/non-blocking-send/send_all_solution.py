#!/usr/bin/env python3
# send_all_solution.py -- the reference solution of the exercise send-it-all:
# non_blocking_client.py, changed so that every byte arrives and the program
# never sleeps inside send() nor spins while the buffer is full.
import os
import select
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.setblocking(0)  # Now setting to non-blocking mode
data = ("Hello Python\n" * 10 * 1024 * 1024).encode()  # Huge amount of data to be sent
rest = memoryview(data)  # slicing a memoryview copies nothing
while rest:
    try:
        taken = sock.send(rest)  # takes what fits in the send buffer, at once
    except BlockingIOError:
        taken = 0  # the buffer was full: nothing taken
    rest = rest[taken:]
    if rest:
        select.select([], [sock], [])  # asleep in the kernel until the buffer has room
sock.close()
