#!/usr/bin/env python3
# non_blocking_client.py -- the tutorial's non-blocking client, ported to Python 3.
# Changes from the tutorial, each explained in the lesson:
#   * connects to 127.0.0.1 instead of socket.gethostname()
#   * the port comes from argv or $PORT (default 12345, the tutorial's)
#   * the data is bytes ("...".encode()): Python 3 sockets send bytes, not str
# Note: in non-blocking mode send() may also raise BlockingIOError when the
# send buffer is already full; here the buffer starts empty, so it returns a count.
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.setblocking(0)  # Now setting to non-blocking mode
data = ("Hello Python\n" * 10 * 1024 * 1024).encode()  # Huge amount of data to be sent
assert sock.send(data)  # Send data till true
