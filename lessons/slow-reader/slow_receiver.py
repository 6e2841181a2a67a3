#!/usr/bin/env python3
# slow_receiver.py -- accepts one connection, then stops reading for 3 s
# (busy with something else), then reads everything until the sender is done
# and says how much it got.
import os
import socket
import sys
import time

s = socket.socket()
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # run it again at once by hand (TIME_WAIT)
s.bind((host, port))
s.listen(5)
conn, addr = s.accept()
time.sleep(3.0)  # not reading: whatever arrives waits in the kernel
total = 0
data = conn.recv(65536)
while data:  # till the sender is done
    total += len(data)
    data = conn.recv(65536)
conn.sendall(("received %d bytes\n" % total).encode())  # tell the sender
print("received", total, "bytes")
conn.close()
s.close()
