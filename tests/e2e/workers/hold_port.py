# tests/e2e/workers/hold_port.py ADDRESS PORT [reuseport] - holds
# ADDRESS:PORT over UDP and TCP, with SO_REUSEPORT when asked (as a second
# vpcdns would), prints "ready", and waits to be killed (at most 120 s).
import socket
import sys
import time

addr = sys.argv[1]
port = int(sys.argv[2])
reuse = len(sys.argv) > 3 and sys.argv[3] == "reuseport"
held = []
for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((addr, port))
    if kind == socket.SOCK_STREAM:
        s.listen(1)
    held.append(s)
print("ready", flush=True)
time.sleep(120)
