#!/usr/bin/env python3
# selectors_server_solution.py -- the reference solution of the exercise
# selectors-server: one thread, every socket non-blocking, and one place the
# program waits: the selector (epoll on Linux), which wakes it when any of
# its sockets has something to accept or to read.
import os
import selectors
import socket
import sys

sel = selectors.DefaultSelector()
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
listener.bind((host, port))
listener.listen(5)
listener.setblocking(False)
sel.register(listener, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():  # asleep until one of the sockets is ready
        if key.fileobj is listener:
            conn, addr = listener.accept()  # ready: does not wait
            conn.setblocking(False)
            sel.register(conn, selectors.EVENT_READ)
        else:
            conn = key.fileobj
            data = conn.recv(1024)  # ready: does not wait
            if data:
                conn.sendall(data)  # a short echo fits in the send buffer at once
            else:
                sel.unregister(conn)
                conn.close()
