#!/usr/bin/env python3
# forever_client.py -- a blocking recv() with no timeout, on a connection
# whose server never sends: nothing in the program can end the wait. Only
# the server closing the connection (recv() then returns b'') or a signal
# from outside ends it.
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
print("Waiting for the server...")
sys.stdout.flush()
data = sock.recv(1024)  # blocking, no deadline
print("Received", data)
