#!/usr/bin/env python3
# silent_server.py -- for the exercise recv-deadline: a server that greets
# its client, then says nothing for 3 seconds before it hangs up. A client's
# recv() waits through all of that silence unless it has a deadline.
import os
import socket
import sys
import time

SILENT_S = float(os.environ.get("SILENT_S", 3.0))

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # run it again at once by hand
host = "127.0.0.1"
port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", 12345))
s.bind((host, port))
s.listen(1)
conn, addr = s.accept()
conn.sendall(b"hello\n")
time.sleep(SILENT_S)  # silence: nothing more to say for a while
conn.close()
s.close()
