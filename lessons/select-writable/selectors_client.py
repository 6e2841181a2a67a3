#!/usr/bin/env python3
# selectors_client.py -- the same fix with the selectors module, which picks
# the best mechanism this system has (epoll on Linux) and is what a program
# with many sockets uses.
import os
import selectors
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.setblocking(0)  # Now setting to non-blocking mode
data = b"Hello Python\n" * 1024 * 1024  # 13,631,488 bytes: a tenth of the tutorial's
view = memoryview(data)  # slices of a memoryview are not copies
sel = selectors.DefaultSelector()
sel.register(sock, selectors.EVENT_WRITE)  # tell me when it is writable
sent = waits = 0
while sent < len(data):
    try:
        sent += sock.send(view[sent:])  # takes what fits in the send buffer
    except BlockingIOError:  # the buffer is full: EAGAIN
        waits += 1
        sel.select()  # sleep until the socket is writable
print("sent", sent, "bytes;", waits, "waits in sel.select()")
sel.close()
sock.close()
