#!/usr/bin/env python3
# one_at_a_time_server.py -- the starter of the exercise selectors-server:
# an echo server that serves one client at a time. While it waits in recv()
# for one client, the others wait for it, however little they have to say.
import os
import socket
import sys

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # run it again at once by hand
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.bind((host, port))
s.listen(5)
while True:
    conn, addr = s.accept()  # the next client, once the last one is done
    while True:
        data = conn.recv(1024)  # waits for this client only
        if not data:
            break
        conn.sendall(data)  # echo
    conn.close()
