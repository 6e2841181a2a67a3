#!/usr/bin/env python3
# slow_server.py -- a slow reader for three clients at once. It accepts three
# connections, then reads at most 64 KiB from each in turn and rests 20 ms
# before the next round: at most about 3 MB a second from each client, the same pace
# for all three. Their send buffers fill, and each client has to wait for
# room: what a client does while it waits is the lesson.
import os
import socket
import sys
import time

host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
clients = int(os.environ.get("CLIENTS", 3))

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # run it again at once by hand (TIME_WAIT)
s.bind((host, port))
s.listen(5)
conns = []
for _ in range(clients):
    conn, addr = s.accept()
    conns.append(conn)
received = {conn: 0 for conn in conns}
while conns:
    for conn in list(conns):
        data = conn.recv(65536)  # at most 64 KiB from this client
        if data:
            received[conn] += len(data)
        else:  # b'': that client has sent everything and closed
            print("received", received[conn], "bytes from", conn.getpeername()[1])
            sys.stdout.flush()
            conns.remove(conn)
            conn.close()
    time.sleep(0.02)  # a slow reader: a rest between rounds
s.close()
