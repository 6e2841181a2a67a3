#!/usr/bin/env python3
# block_client.py -- the tutorial's blocking client, ported to Python 3.
# Changes from the tutorial, each explained in the lesson:
#   * connects to 127.0.0.1 instead of socket.gethostname()
#   * the port comes from argv or $PORT (default 12345, the tutorial's)
#   * the data is bytes ("...".encode()): Python 3 sockets send bytes, not str
#   * socket-lessons' knobs, read from the environment: SNDBUF (setsockopt
#     SO_SNDBUF, only when set) and DATA_BYTES (how much to send). Unset, as
#     when you run it by hand, the client is the tutorial's.
import os
import socket
import sys

sock = socket.socket()
if os.environ.get("SNDBUF"):  # knob: ask the kernel for this send buffer size
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, int(os.environ["SNDBUF"]))
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
sock.setblocking(1)
# Or simply omit this line as by default TCP sockets
# are in blocking mode
if os.environ.get("DATA_BYTES"):  # knob: this many bytes of the same text
    data = (b"Hello Python\n" * (int(os.environ["DATA_BYTES"]) // 13 + 1))[: int(os.environ["DATA_BYTES"])]
else:
    data = ("Hello Python\n" * 10 * 1024 * 1024).encode()  # Huge amount of data to be sent
assert sock.send(data)  # Send data till true
