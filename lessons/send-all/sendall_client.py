#!/usr/bin/env python3
# sendall_client.py -- the tutorial's block_client.py, fixed the second way:
# sendall() keeps sending until all the data is taken (or raises).
# Changes from the tutorial, each explained in the lesson:
#   * connects to 127.0.0.1 instead of socket.gethostname()
#   * the port comes from argv or $PORT (default 12345, the tutorial's)
#   * the data is bytes ("...".encode()): Python 3 sockets send bytes, not str
#   * settimeout(10.0) instead of setblocking(1), like send_loop_client.py
#   * sock.sendall(data) instead of "assert sock.send(data)"
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.settimeout(10.0)  # sendall() may take at most 10 s in all
data = ("Hello Python\n" * 10 * 1024 * 1024).encode()  # Huge amount of data to be sent
sock.sendall(data)  # the loop, inside CPython
print("sent", len(data), "bytes")
sock.close()
