#!/usr/bin/env python3
# select_client.py -- the tutorial's non-blocking client, fixed properly:
# it loops on send()'s return value and, when send() raises BlockingIOError
# (the send buffer is full), sleeps in select() until the kernel says the
# socket is writable again.
import os
import select
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.setblocking(0)  # Now setting to non-blocking mode
data = b"Hello Python\n" * 1024 * 1024  # 13,631,488 bytes: a tenth of the tutorial's
view = memoryview(data)  # slices of a memoryview are not copies
sent = waits = 0
while sent < len(data):
    try:
        sent += sock.send(view[sent:])  # takes what fits in the send buffer
    except BlockingIOError:  # the buffer is full: EAGAIN
        waits += 1
        select.select([], [sock], [])  # sleep until the socket is writable
print("sent", sent, "bytes;", waits, "waits in select()")
sock.close()
