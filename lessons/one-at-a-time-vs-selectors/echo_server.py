#!/usr/bin/env python3
# echo_server.py -- two echo servers, one after the other, on one listening
# socket: first a selectors server (like Real Python's multi-connection
# server) for three clients, then a blocking server that serves three more
# one at a time. Each greets a client when it accepts it, then echoes every
# line back until the client closes.
import os
import selectors
import socket
import sys

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
GREETING = b"hello, you are connected\n"
CLIENTS = 3


def serve_all_at_once(listener):
    """selectors: sleep in select() until any socket is ready, handle that one, repeat."""
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    accepted = served = 0
    while served < CLIENTS:
        for key, _ in sel.select():  # asleep until something is ready
            if key.fileobj is listener:  # a connection is waiting: accept() will not block
                conn, addr = listener.accept()
                conn.sendall(GREETING)
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)
                accepted += 1
                if accepted == CLIENTS:
                    sel.unregister(listener)  # the others wait for the next server
            else:  # a client sent something, or closed: recv() will not block
                conn = key.fileobj
                data = conn.recv(1024)
                if data:
                    conn.sendall(data)  # echo (a short line: it fits in the send buffer)
                else:
                    sel.unregister(conn)
                    conn.close()
                    served += 1
    sel.close()


def serve_one_at_a_time(listener):
    """blocking: accept() a client, echo until it closes, then the next."""
    for _ in range(CLIENTS):
        conn, addr = listener.accept()  # the next client in the accept queue
        conn.sendall(GREETING)
        data = conn.recv(1024)  # asleep until this client sends
        while data:
            conn.sendall(data)  # echo
            data = conn.recv(1024)  # asleep until its next line
        conn.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # reuse the port at once by hand (TIME_WAIT)
listener.bind((host, port))
listener.listen(5)
serve_all_at_once(listener)
print("served", CLIENTS, "clients at once with selectors")
sys.stdout.flush()
serve_one_at_a_time(listener)
print("served", CLIENTS, "clients one at a time")
listener.close()
