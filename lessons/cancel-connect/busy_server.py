#!/usr/bin/env python3
# busy_server.py -- a server so busy it never calls accept().
# The tutorial's opening story needs a connect() that blocks. On Linux a
# listening socket queues at most backlog + 1 finished handshakes; with
# listen(0) that is one. This server takes that one place itself, so every
# other connect() to it waits: the kernel drops their SYNs until the queue
# has room, which here is never.
import os
import socket
import sys
import time

s = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.bind((host, port))
s.listen(0)  # backlog 0: room for one waiting connection
first_in_line = socket.create_connection((host, port))  # takes that one place
print("Listening on", port, "- the queue is full and nobody calls accept()", flush=True)
while True:
    time.sleep(3600)  # busy with something else, forever
