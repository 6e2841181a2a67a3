#!/usr/bin/env python3
# blocking_connect.py -- the tutorial's opening: connect() blocks your program
# until the operation is complete. Against busy_server.py it never completes.
# Changes: 127.0.0.1 instead of gethostname(); the port from argv or $PORT;
# print(..., flush=True), so a line shows when it is printed, not at the exit.
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
print("Connecting...", flush=True)
sock.connect((host, port))  # blocks: nothing else can happen until it returns
print("Connected", flush=True)
