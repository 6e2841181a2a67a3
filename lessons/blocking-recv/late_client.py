#!/usr/bin/env python3
# late_client.py -- connects, then takes its time: 2 s pass before it sends
# one line. Meanwhile the server's recv() has nothing to return.
import os
import socket
import sys
import time

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
time.sleep(2.0)  # busy with something else before it sends
sock.send(b"Hello Python\n")
sock.close()
