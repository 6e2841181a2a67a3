#!/usr/bin/env python3
# recv_deadline_solution.py -- the reference solution of the exercise
# recv-deadline: recv_client.py with a deadline. After settimeout(1) each
# recv() waits at most a second (CPython waits for the socket in poll() with
# that deadline) and raises TimeoutError when nothing came.
import os
import socket
import sys

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock = socket.create_connection((host, port))
sock.settimeout(1)  # every call on this socket may wait 1 s, no longer
print("Server says:", sock.recv(1024), flush=True)
try:
    data = sock.recv(1024)
    print("Then:", data, flush=True)
except socket.timeout:  # TimeoutError since Python 3.10
    print("Silence for 1 s: giving up", flush=True)
sock.close()
