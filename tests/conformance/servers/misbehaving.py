"""Servers that are not usable targets: ``python misbehaving.py KIND PORT``.

``garbage`` answers every connection with bytes that are not HTTP;
``silent`` accepts connections and never answers; ``slow`` answers every
request with an empty 200, one second late (after the first).
"""

import socket
import sys
import threading
import time

kind, port = sys.argv[1], int(sys.argv[2])
listener = socket.create_server(("127.0.0.1", port))
held = []
answered = []


def serve(conn: socket.socket) -> None:
    if kind == "garbage":
        conn.recv(65536)
        conn.sendall(b"SSH-2.0-OpenSSH_9.0 definitely not http\r\n\r\n")
        conn.close()
    elif kind == "slow":
        with conn:
            while conn.recv(65536):
                if answered:
                    time.sleep(1)
                answered.append(1)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    else:
        held.append(conn)


while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
