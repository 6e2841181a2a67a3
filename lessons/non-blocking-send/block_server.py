#!/usr/bin/env python3
# block_server.py -- the tutorial's server, ported to Python 3.
# Changes from the tutorial, each explained in the lesson:
#   * print(data) instead of `print data` (Python 3 syntax)
#   * binds 127.0.0.1 instead of socket.gethostname(): the lesson never listens on your LAN
#   * the port comes from argv or $PORT (default 12345, the tutorial's), so the app can pick a free one
#   * socket-lessons' knob READ_DELAY_MS: a pause before each further recv(), as a slow
#     reader would take (unset, as when you run it by hand: no pause, the tutorial's server)
import os
import socket
import sys
import time

delay_s = int(os.environ.get("READ_DELAY_MS") or 0) / 1000

s = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.bind((host, port))
s.listen(5)
while True:
    conn, addr = s.accept()  # accept the connection
    data = conn.recv(1024)
    while data:  # till data is coming
        print(data)
        if delay_s:
            time.sleep(delay_s)
        data = conn.recv(1024)
    print("All Data Received")  # Will execute when all data is received
    conn.close()
    break
