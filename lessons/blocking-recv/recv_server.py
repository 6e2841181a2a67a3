#!/usr/bin/env python3
# recv_server.py -- the other side of blocking I/O: a server whose accept()
# and recv() wait, asleep in the kernel, until there is something for them.
# Like the tutorial's block_server.py: 127.0.0.1, the port from argv or $PORT
# (12345 by default).
import os
import socket
import sys

s = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # run it again at once by hand (TIME_WAIT)
s.bind((host, port))
s.listen(5)
conn, addr = s.accept()  # waits until a client connects
print("Connected by", addr)
sys.stdout.flush()
data = conn.recv(1024)  # waits until the client sends something
print("Received", data)
conn.close()
s.close()
