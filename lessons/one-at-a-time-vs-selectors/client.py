#!/usr/bin/env python3
# client.py -- one of three clients started together. It connects, waits for
# the server's greeting (the server sends it when it accept()s the
# connection), then sends three lines, each a moment after the last echo came
# back. It does this twice: once for each of echo_server.py's two servers.
import os
import socket
import sys
import time

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
name = os.environ.get("CLIENT", "client")


def talk():
    sock = socket.create_connection((host, port))
    connected = time.monotonic()
    greeting = sock.recv(1024)  # asleep until the server accept()s us
    print("%s: greeted %.3f s after connecting" % (name, time.monotonic() - connected))
    sys.stdout.flush()
    for word in ("one", "two", "three"):
        sock.sendall(("%s: %s\n" % (name, word)).encode())
        echo = sock.recv(1024)  # the echo
        time.sleep(0.3)  # thinking before the next line
    sock.close()


talk()  # the selectors server
talk()  # the one-at-a-time server
