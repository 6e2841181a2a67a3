#!/usr/bin/env python3
# echo_client.py -- one of the three clients of the exercise selectors-server.
# It says hello and waits for its echo (how long that takes shows whether the
# server served it while busy with another), thinks for a second, says bye,
# waits for that echo too, and exits with 0 if both came back right.
import os
import socket
import sys
import time

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
name = os.environ.get("CLIENT", "client")
THINK_S = 1.0  # the rest of its exchange takes a while

sock = socket.create_connection((host, port))
hello = ("hello from %s\n" % name).encode()
sock.sendall(hello)
first = sock.recv(1024)  # the echo of hello
time.sleep(THINK_S)
sock.sendall(b"bye\n")
second = sock.recv(1024)  # the echo of bye
sock.close()
right = first == hello and second == b"bye\n"
print("%s: %s" % (name, "both echoes right" if right else "wrong echo: %r, %r" % (first, second)), flush=True)
sys.exit(0 if right else 1)
