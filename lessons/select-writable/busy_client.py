#!/usr/bin/env python3
# busy_client.py -- the tutorial's non-blocking client, fixed the quick way:
# it loops on send()'s return value and, when send() raises BlockingIOError
# (the send buffer is full), tries again at once. Every byte arrives, but
# the retries keep the program running on a CPU the whole time it waits.
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.setblocking(0)  # Now setting to non-blocking mode
data = b"Hello Python\n" * 1024 * 1024  # 13,631,488 bytes: a tenth of the tutorial's
view = memoryview(data)  # slices of a memoryview are not copies
sent = retries = 0
while sent < len(data):
    try:
        sent += sock.send(view[sent:])  # takes what fits in the send buffer
    except BlockingIOError:  # the buffer is full: EAGAIN
        retries += 1  # ... so try again, at once
print("sent", sent, "bytes;", retries, "retries")
sock.close()
