"""Receives systemd notify datagrams for Faultline (Node cannot receive Unix datagram sockets).

Usage: python3 notify-receiver.py <socket path>
Binds a SOCK_DGRAM Unix socket at <socket path> (as systemd's NOTIFY_SOCKET), prints "bound" once
it listens, then one JSON line per datagram: {"msg": "<datagram text>"}. Exits on EOF of stdin
(the harness closed it or died), on SIGTERM, or on SIGINT, and removes the socket file and its folder.
"""

import json
import os
import selectors
import signal
import socket
import sys


def main() -> int:
    path = sys.argv[1]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o666)  # a container's user may differ from the harness's
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ, "dgram")
    sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    print("bound", flush=True)
    try:
        while True:
            for key, _ in sel.select():
                if key.data == "stdin":
                    if not sys.stdin.buffer.read1(4096):
                        return 0
                    continue
                data = sock.recv(65536)
                print(json.dumps({"msg": data.decode("utf-8", "replace")}), flush=True)
    finally:
        # The socket and its (harness-made, otherwise empty) folder go, even when the harness died.
        for remove, target in ((os.unlink, path), (os.rmdir, os.path.dirname(path))):
            try:
                remove(target)
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
