#!/usr/bin/env python3
# silent_server.py -- a server that accepts two clients and never answers
# them, then stops accepting: its accept queue fills up, so a third client's
# connect() cannot complete. After 15 s it gives up and closes everything, so
# that, run by hand, the clients end too.
import os
import socket
import sys
import time

s = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # run it again at once by hand (TIME_WAIT)
s.bind((host, port))
s.listen(0)  # backlog 0: Linux keeps one finished handshake waiting for accept()
first, _ = s.accept()  # accepted, never answered
second, _ = s.accept()  # accepted, never answered
filler = socket.create_connection((host, port))  # takes the one place in the queue
print("Two clients accepted, never answered; the accept queue is full")
sys.stdout.flush()
time.sleep(15.0)  # busy with something else
print("Giving up: closing")
first.close()
second.close()
filler.close()
s.close()
