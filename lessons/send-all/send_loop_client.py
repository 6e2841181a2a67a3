#!/usr/bin/env python3
# send_loop_client.py -- the tutorial's block_client.py, fixed the first way:
# it checks what send() returns and sends the rest until all is taken.
# Changes from the tutorial, each explained in the lesson:
#   * connects to 127.0.0.1 instead of socket.gethostname()
#   * the port comes from argv or $PORT (default 12345, the tutorial's)
#   * the data is bytes ("...".encode()): Python 3 sockets send bytes, not str
#   * settimeout(10.0) instead of setblocking(1): a deadline, as most real
#     clients have; send() then takes what fits in the buffer and returns
#   * the loop instead of "assert sock.send(data)"
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.settimeout(10.0)  # each call may wait at most 10 s for room
data = ("Hello Python\n" * 10 * 1024 * 1024).encode()  # Huge amount of data to be sent
view = memoryview(data)  # slices of a memoryview are not copies
total = 0
while total < len(data):  # till all of it is taken
    sent = sock.send(view[total:])  # returns how many bytes it took
    total += sent
print("sent", total, "bytes")
sock.close()
