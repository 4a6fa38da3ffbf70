# tests/e2e/process/notify-listen.py SOCKET OUT - a stand-in for systemd's
# notification socket (sd_notify(3)): binds an AF_UNIX datagram socket and
# appends each message, newlines as '|', as one line to OUT.  Lives at most
# 120 s.  Anyone may send to it, like to systemd's own socket.
import os
import socket
import sys
import time

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o777)  # as systemd's: a daemon that dropped root sends too
s.settimeout(0.5)
open(out, "a").close()
end = time.time() + 120
while time.time() < end:
    try:
        msg = s.recv(4096)
    except socket.timeout:
        continue
    with open(out, "a") as f:
        f.write(msg.decode("utf-8", "replace").replace("\n", "|") + "\n")
