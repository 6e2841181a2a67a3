#!/usr/bin/env python3
# timeout_client.py -- the same wait with a deadline: settimeout(2.0) makes
# recv() and connect() give up after 2 s with socket.timeout. In between, the
# same recv() on a non-blocking socket, which gives up at once.
import os
import socket
import sys

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))

sock = socket.socket()
sock.connect((host, port))
sock.settimeout(2.0)  # recv() may wait at most 2 s
try:
    data = sock.recv(1024)
    print("Received", data)
except socket.timeout as e:  # TimeoutError since Python 3.10
    print("recv() gave up:", e)
sock.setblocking(0)  # non-blocking: recv() may not wait at all
try:
    data = sock.recv(1024)
    print("Received", data)
except BlockingIOError as e:
    print("non-blocking recv():", e)
sock.close()

sock = socket.socket()
sock.settimeout(2.0)  # connect() may wait at most 2 s
try:
    sock.connect((host, port))  # the server's accept queue is full
    print("Connected")
except socket.timeout as e:
    print("connect() gave up:", e)
sock.close()
