"""Egress sinkhole for a Faultline run's target network.

Every name a target resolves through Docker's embedded DNS that is not a container on the run's
network is forwarded here and answered with this container's own address; production exchange
hostnames are also pinned to it in the target's /etc/hosts. Every TCP connection to it on the
usual HTTP/TLS/WebSocket ports is accepted, its first bytes read (TLS SNI or HTTP Host when
present), recorded as one JSON line on stdout, and never answered: a bot pointed at a real
exchange by mistake is caught, not executed. The harness turns the lines into history events.
"""

import asyncio
import json
import os
import socket
import struct
import sys

PORTS = [int(p) for p in os.environ.get("SINKHOLE_PORTS", "80,443,8080,8443,9443").split(",") if p]
HOLD_S = float(os.environ.get("SINKHOLE_HOLD_S", "30"))


def emit(**record):
    sys.stdout.write(json.dumps({"egress": record}, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def own_ip():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # No packet is sent: connect() on UDP only picks the source address for that route.
        s.connect((os.environ.get("SINKHOLE_PROBE_ADDR", "10.255.255.255"), 9))
        return s.getsockname()[0]
    except OSError:
        return socket.gethostbyname(socket.gethostname())
    finally:
        s.close()


def tls_sni(data):
    """Server name from a TLS ClientHello, or None (best effort, no TLS library needed)."""
    try:
        if len(data) < 43 or data[0] != 0x16 or data[5] != 0x01:
            return None
        i = 43
        i += 1 + data[i]  # session id
        i += 2 + struct.unpack(">H", data[i : i + 2])[0]  # cipher suites
        i += 1 + data[i]  # compression methods
        end = i + 2 + struct.unpack(">H", data[i : i + 2])[0]
        i += 2
        while i + 4 <= end:
            ext_type, ext_len = struct.unpack(">HH", data[i : i + 4])
            i += 4
            if ext_type == 0:
                name_len = struct.unpack(">H", data[i + 3 : i + 5])[0]
                return data[i + 5 : i + 5 + name_len].decode("ascii", "replace")
            i += ext_len
    except (IndexError, struct.error):
        return None
    return None


def http_host(data):
    for line in data.split(b"\r\n")[1:20]:
        if line.lower().startswith(b"host:"):
            return line[5:].strip().decode("ascii", "replace")
    return None


async def on_tcp(reader, writer, port):
    peer = writer.get_extra_info("peername") or ("?", 0)
    try:
        data = await asyncio.wait_for(reader.read(4096), timeout=3)
    except (asyncio.TimeoutError, ConnectionError):
        data = b""
    record = {"kind": "tcp", "port": port, "from": peer[0], "bytes": len(data), "head": data[:16].hex()}
    sni = tls_sni(data)
    if sni:
        record["sni"] = sni
        record["host"] = sni
    else:
        host = http_host(data) if data[:1].isalpha() else None
        if host:
            record["host"] = host
        if data[:1].isalpha():
            record["firstLine"] = data.split(b"\r\n", 1)[0][:200].decode("ascii", "replace")
    emit(**record)
    # Answer nothing; hold the socket so the client sees a silent peer, then drop it.
    try:
        await asyncio.wait_for(reader.read(), timeout=HOLD_S)
    except (asyncio.TimeoutError, ConnectionError):
        pass
    writer.close()


class Dns(asyncio.DatagramProtocol):
    def __init__(self, ip):
        self.ip = socket.inet_aton(ip)

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        try:
            qid, flags, qd = struct.unpack(">HHH", data[:6])
            i, labels = 12, []
            while data[i]:
                labels.append(data[i + 1 : i + 1 + data[i]].decode("ascii", "replace"))
                i += 1 + data[i]
            qtype = struct.unpack(">H", data[i + 1 : i + 3])[0]
            question = data[12 : i + 5]
        except (IndexError, struct.error):
            return
        name = ".".join(labels)
        emit(kind="dns", host=name, qtype=qtype, **{"from": addr[0]})
        answer = b""
        if qtype == 1:  # A: this sinkhole; anything else: no records (NOERROR), so clients use A.
            answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 5, 4) + self.ip
        header = struct.pack(">HHHHHH", qid, 0x8180 | (flags & 0x0100), 1, 1 if answer else 0, 0, 0)
        self.transport.sendto(header + question + answer, addr)


async def main():
    ip = own_ip()
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: Dns(ip), local_addr=("0.0.0.0", 53))
    for port in PORTS:
        await asyncio.start_server(lambda r, w, p=port: on_tcp(r, w, p), "0.0.0.0", port)
    emit(kind="ready", ip=ip, ports=PORTS)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
