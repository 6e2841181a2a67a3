#!/usr/bin/env python3
# count_server.py -- receives from two clients, one after the other, and
# counts what each sent: the tutorial's block_server.py with a count instead
# of printing every chunk.
import os
import socket
import sys

s = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # run it again at once by hand (TIME_WAIT)
s.bind((host, port))
s.listen(5)
for _ in range(2):
    conn, addr = s.accept()  # accept the connection
    total = 0
    data = conn.recv(65536)
    while data:  # till data is coming
        total += len(data)
        data = conn.recv(65536)
    print("All Data Received:", total, "bytes")  # Will execute when all data is received
    sys.stdout.flush()
    conn.close()
s.close()
