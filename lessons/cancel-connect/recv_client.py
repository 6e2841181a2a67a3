#!/usr/bin/env python3
# recv_client.py -- the starter of the exercise recv-deadline: it reads the
# server's greeting, then waits in recv() for more. How long? As long as the
# server stays silent: a blocking recv() has no deadline.
import os
import socket
import sys

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock = socket.create_connection((host, port))
print("Server says:", sock.recv(1024), flush=True)
data = sock.recv(1024)  # waits for as long as the server is silent
print("Then:", data, flush=True)
sock.close()
