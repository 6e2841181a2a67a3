#!/usr/bin/env python3
# connect_deadline_solution.py -- the reference solution of the exercise
# connect-deadline: blocking_connect.py with a deadline. settimeout(2) keeps
# the socket blocking for the program (connect() still waits), but CPython
# then waits for the handshake in poll() with that deadline, and connect()
# raises TimeoutError when it passes.
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.settimeout(2)  # connect() may wait 2 s, no longer
print("Connecting...", flush=True)
try:
    sock.connect((host, port))
    print("Connected")
except socket.timeout:  # TimeoutError since Python 3.10
    print("Gave up: no connection after 2 s")
sock.close()
