#!/usr/bin/env python3
# sender.py -- sends 13,631,488 bytes with sendall() to a receiver that is not
# reading yet, then waits for the receiver to say how much it got.
import os
import socket
import sys

sock = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
sock.connect((host, port))
data = b"Hello Python\n" * 1024 * 1024  # 13,631,488 bytes, a tenth of the tutorial's
sock.sendall(data)  # sleeps whenever there is no room
sock.shutdown(socket.SHUT_WR)  # no more data: the receiver's recv() returns b''
print(sock.recv(1024).decode().strip())  # the receiver's count
sock.close()
