#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into src/test/resources/io/sansnet/fuzz/<Class>Inputs/<method>/.

A one-off step, run by hand from anywhere (python3 fuzz/make-seeds.py) when a target's input layout changes; the
files it writes are committed and the tests never run it. The packets are the kernel captures of
stack/src/test/java/io/sansnet/stack/wire/Captures.java; everything else is built here, byte by byte, in the layouts
the targets document. It only writes the seed-*.bin files it names, so crash inputs that Jazzer saved next to them
stay.
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "src", "test", "resources", "io", "sansnet", "fuzz")
CAPTURES = os.path.join(ROOT, "stack", "src", "test", "java", "io", "sansnet", "stack", "wire", "Captures.java")


def captures():
    text = open(CAPTURES, encoding="utf-8").read()
    found = re.findall(r'static final byte\[\] (\w+) = hex\("""(.*?)"""\)', text, re.S)
    return {name: bytes.fromhex(re.sub(r"\s", "", body)) for name, body in found}


C = captures()


def put(cls, method, name, data):
    d = os.path.join(OUT, cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name + ".bin"), "wb") as f:
        f.write(data)


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(payload, proto, src=b"\xc6\x12\x00\x01", dst=b"\xc6\x12\x00\x02", ident=1, flags_offset=0, options=b""):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident, flags_offset, 64, proto, 0, src, dst)
    h += options
    h = h[:10] + struct.pack("!H", checksum(h)) + h[12:]
    return h + payload


SRC6 = bytes.fromhex("fd00005a000000000000000000000001")
DST6 = bytes.fromhex("fd00005a000000000000000000000002")


def ipv6(payload, next_header, src=SRC6, dst=DST6):
    return struct.pack("!IHBB", 0x60000000, len(payload), next_header, 64) + src + dst + payload


def wire():
    v4 = {"ping": C["PING_V4"], "syn": C["SYN_V4"], "udp": C["UDP_V4"], "last-fragment": C["FRAG_V4_3"]}
    v6 = {"ping": C["PING_V6"], "syn": C["SYN_V6"], "udp": C["UDP_V6"], "last-fragment": C["FRAG_V6_3"],
          "router-solicitation": C["ROUTER_SOLICITATION"]}
    for name, p in v4.items():
        put("WireFuzzTest", "ipv4", name, b"\0" + p)
    # Options (NOP NOP NOP EOL) and a wrong checksum that control bit 0 repairs.
    put("WireFuzzTest", "ipv4", "options", b"\x01" + ipv4(C["UDP_V4"][20:], 17, options=b"\x01\x01\x01\x00"))
    for name, p in v6.items():
        put("WireFuzzTest", "ipv6", name, b"\0" + p)
    # Hop-by-Hop (PadN), Destination Options, Routing (type 0 segments left 0), then UDP.
    hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])
    dest = bytes([43, 0, 1, 4, 0, 0, 0, 0])
    rh = bytes([17, 0, 0, 0, 0, 0, 0, 0])
    put("WireFuzzTest", "ipv6", "extension-headers", b"\0" + ipv6(hbh + dest + rh + C["UDP_V6"][40:], 0))
    # AH (length byte counts 4-octet units minus 2) before a Fragment header, with a limit of 3 headers.
    ah = bytes([44, 4]) + bytes(22)
    frag = bytes([17, 0, 0, 1, 0, 0, 0, 7])
    put("WireFuzzTest", "ipv6", "ah-fragment", bytes([1 | 3 << 1]) + ipv6(ah + frag + C["UDP_V6"][40:], 51))

    put("WireFuzzTest", "icmpv4", "echo", b"\0" + C["PING_V4"][20:])
    put("WireFuzzTest", "icmpv4", "port-unreachable", b"\x01" + bytes([3, 3, 0, 0, 0, 0, 0, 0]) + C["UDP_V4"])
    put("WireFuzzTest", "icmpv4", "time-exceeded", b"\x01" + bytes([11, 1, 0, 0, 0, 0, 0, 0]) + C["FRAG_V4_1"][:28])
    put("WireFuzzTest", "icmpv4", "fragmentation-needed",
        b"\x01" + bytes([3, 4, 0, 0, 0, 0, 0x05, 0xdc]) + C["SYN_V4"][:28])
    put("WireFuzzTest", "icmpv6", "echo", b"\0" + C["PING_V6"][40:])
    put("WireFuzzTest", "icmpv6", "router-solicitation", b"\x01" + C["ROUTER_SOLICITATION"][40:])
    put("WireFuzzTest", "icmpv6", "port-unreachable", b"\x01" + bytes([1, 4, 0, 0, 0, 0, 0, 0]) + C["UDP_V6"])
    put("WireFuzzTest", "icmpv6", "packet-too-big", b"\x01" + bytes([2, 0, 0, 0, 0, 0, 5, 0]) + C["SYN_V6"])
    put("WireFuzzTest", "icmpv6", "quoted-fragment",
        b"\x01" + bytes([3, 1, 0, 0, 0, 0, 0, 0]) + C["FRAG_V6_3"][:64])

    put("WireFuzzTest", "udp", "ipv4", b"\0" + C["UDP_V4"][20:])
    put("WireFuzzTest", "udp", "ipv6", b"\x02" + C["UDP_V6"][40:])
    put("WireFuzzTest", "udp", "no-checksum", b"\0" + C["UDP_V4"][20:26] + b"\0\0" + C["UDP_V4"][28:])
    put("WireFuzzTest", "udp", "trailing-bytes", b"\x01" + C["UDP_V4"][20:] + b"\0\0\0\0")
    put("WireFuzzTest", "tcp", "syn-ipv4", b"\0" + C["SYN_V4"][20:])
    put("WireFuzzTest", "tcp", "syn-ipv6", b"\x02" + C["SYN_V6"][40:])
    # An ACK with data, timestamps and two SACK blocks; an unknown option (kind 30, length 4) and EOL padding.
    opts = bytes([1, 1, 8, 10]) + bytes(8) + bytes([1, 1, 5, 18]) + bytes(range(16))
    hdr = struct.pack("!HHIIBBHHH", 80, 36562, 1000, 2000, (5 + len(opts) // 4) << 4, 0x18, 502, 0, 0)
    put("WireFuzzTest", "tcp", "sack-data", b"\x01" + hdr + opts + b"hello\n")
    opts = bytes([30, 4, 0xAB, 0xCD, 2, 4, 5, 0xb4, 0, 0, 0, 0])
    hdr = struct.pack("!HHIIBBHHH", 80, 34252, 1, 0, (5 + len(opts) // 4) << 4, 0x12, 65535, 0, 0)
    put("WireFuzzTest", "tcp", "unknown-option-ipv6", b"\x03" + hdr + opts)


def reassembly():
    # Layout: budget u16 (x16 bytes), timeout u8 (% 60 + 1 s), then operations (ReassemblyFuzzTest).
    def frag(ident, source, proto, offset_units, flags, data):
        return bytes([0, ident, source, proto]) + struct.pack("!HBH", offset_units, flags, len(data)) + data

    def advance(ms):
        return bytes([2]) + struct.pack("!H", ms)

    def oracle(payload, units, order):
        return bytes([3]) + struct.pack("!H", len(payload)) + payload + bytes([units - 1, order])

    data = bytes(range(256)) * 2
    for method in ("ipv4Reassembly", "ipv6Reassembly"):
        put("ReassemblyFuzzTest", method, "in-order",
            struct.pack("!HB", 4096, 29) + frag(1, 0, 1, 0, 1, data[:64]) + frag(1, 0, 1, 8, 0, data[:40]))
        put("ReassemblyFuzzTest", method, "overlap-duplicate",
            struct.pack("!HB", 4096, 29) + frag(2, 1, 1, 2, 1, data[:32]) + frag(2, 1, 1, 0, 1, data[:40])
            + bytes([4]) + frag(2, 1, 1, 6, 0, data[:8]))
        put("ReassemblyFuzzTest", method, "timeout",
            struct.pack("!HB", 4096, 0) + frag(3, 0, 1, 0, 1, data[:16]) + advance(500) + advance(600) + bytes([5]))
        put("ReassemblyFuzzTest", method, "budget-eviction",
            struct.pack("!HB", 64, 29) + frag(4, 0, 1, 0, 1, data[:200]) + frag(5, 1, 1, 0, 1, data[:200])
            + frag(6, 2, 1, 4, 1, data[:200]))
        put("ReassemblyFuzzTest", method, "oracle",
            struct.pack("!HB", 1024, 29) + frag(7, 0, 1, 0, 1, data[:96]) + oracle(data[:300], 8, 0)
            + oracle(data[:500], 4, 1) + oracle(data[:64], 2, 2))
        put("ReassemblyFuzzTest", method, "options-last-first",
            struct.pack("!HB", 4096, 29) + frag(0, 3, 2, 20, 4, data[:10]) + frag(0, 3, 2, 0, 5, data[:160]))


def pcap_file(packets, linktype=101, nanos=False, big=False):
    e = ">" if big else "<"
    magic = 0xA1B23C4D if nanos else 0xA1B2C3D4
    out = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 262144, linktype)
    for i, p in enumerate(packets):
        out += struct.pack(e + "IIII", 1700000000 + i, 123456 + i, len(p), len(p)) + p
    return out


def captures_ip():
    return [C["PING_V4"], C["SYN_V6"], C["UDP_V4"]]


def pcap():
    ip = captures_ip()
    eth = [bytes(12) + b"\x08\x00" + C["PING_V4"], bytes(12) + b"\x81\x00\x00\x05\x86\xdd" + C["SYN_V6"],
           bytes(12) + b"\x08\x06" + bytes(28)]
    sll = [b"\x00\x00\x03\x04\x00\x06" + bytes(8) + b"\x08\x00" + C["UDP_V4"]]
    sll2 = [b"\x86\xdd\x00\x00" + bytes(16) + C["UDP_V6"]]
    null = [struct.pack("<I", 2) + C["PING_V4"], struct.pack("<I", 30) + C["PING_V6"]]
    put("CaptureFuzzTest", "pcap", "raw-micro-le", pcap_file(ip))
    put("CaptureFuzzTest", "pcap", "raw-nano-be", pcap_file(ip, nanos=True, big=True))
    put("CaptureFuzzTest", "pcap", "ethernet-vlan", pcap_file(eth, linktype=1))
    put("CaptureFuzzTest", "pcap", "sll", pcap_file(sll, linktype=113))
    put("CaptureFuzzTest", "pcap", "sll2-nano", pcap_file(sll2, linktype=276, nanos=True))
    put("CaptureFuzzTest", "pcap", "null", pcap_file(null, linktype=0))
    put("CaptureFuzzTest", "pcap", "truncated", pcap_file(ip)[:-10])


def block(e, btype, body):
    body += bytes(-len(body) % 4)
    n = len(body) + 12
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def option(e, code, value):
    return struct.pack(e + "HH", code, len(value)) + value + bytes(-len(value) % 4)


def pcapng_file(big=False, sections=1):
    e = ">" if big else "<"
    out = b""
    for s in range(sections):
        out += block(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) + option(e, 0, b""))
        out += block(e, 1, struct.pack(e + "HHI", 101, 0, 0) + option(e, 2, b"tun0") + option(e, 9, b"\x09")
                     + option(e, 0, b""))
        out += block(e, 1, struct.pack(e + "HHI", 1, 0, 128) + option(e, 9, b"\x86") + option(e, 14, struct.pack(e + "q", 5)))
        for i, p in enumerate(captures_ip()):
            ts = 1700000000123456789 + i
            out += block(e, 6, struct.pack(e + "IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(p), len(p)) + p
                         + bytes(-len(p) % 4) + option(e, 2, struct.pack(e + "I", 1 + i % 2)) + option(e, 0, b""))
        frame = bytes(12) + b"\x08\x00" + C["UDP_V4"]
        out += block(e, 6, struct.pack(e + "IIIII", 1, 0, 1000, len(frame), len(frame) + 4) + frame)
        out += block(e, 3, struct.pack(e + "I", len(C["UDP_V6"])) + C["UDP_V6"])
        out += block(e, 2, struct.pack(e + "HHIIII", 0, 0, 0, 5, len(C["PING_V4"]), len(C["PING_V4"])) + C["PING_V4"])
        out += block(e, 5, struct.pack(e + "IIII", 0, 0, 7, 0))  # interface statistics: skipped
        out += block(e, 0x40000BAD, b"custom")  # unknown type: skipped
    return out


def pcapng():
    put("CaptureFuzzTest", "pcapng", "le", pcapng_file())
    put("CaptureFuzzTest", "pcapng", "be-two-sections", pcapng_file(big=True, sections=2))
    put("CaptureFuzzTest", "pcapng", "truncated", pcapng_file()[:-9])


def http():
    # Layout: fragment-size byte, fragment-seed byte, options byte, then the peer's bytes (HttpFuzzTest).
    requests = {
        "get": b"GET /index.html HTTP/1.1\r\nHost: example\r\nUser-Agent: curl/8\r\nAccept: */*\r\n\r\n",
        "pipelined-post": b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
        "chunked-post": b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nT: v\r\n\r\n",
        "http10-keepalive": b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /again HTTP/1.0\r\n\r\n",
        "expect-upgrade": b"\r\nPUT /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nokGET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        "connect-close": b"CONNECT example:443 HTTP/1.1\r\nHost: example:443\r\n\r\nbinary",
        "bad-header": b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
    }
    for i, (name, r) in enumerate(requests.items()):
        put("HttpFuzzTest", "request", name, bytes([i * 9 % 64, i, 0]) + r)
    responses = {
        "length": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"),
        "chunked-trailers": (0, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"),
        "continue-then-final": (2, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
        "head": (1, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"),
        "until-close": (0, b"HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until close"),
        "connect": (3, b"HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes"),
        "switching": (0, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
        "keepalive-two": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
    }
    for i, (name, (method, r)) in enumerate(responses.items()):
        put("HttpFuzzTest", "response", name, bytes([i * 7 % 64, i, method]) + r)
    bodies = {
        "simple": (0, b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
        "extensions-trailers": (1, b"a;name=value;q=\"x\"\r\n0123456789\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n"),
        "hex-case": (0, b"0A\r\n0123456789\r\n00\r\n\r\n"),
        "bad-size": (1, b"zz\r\nhello\r\n0\r\n\r\n"),
        "eof-inside": (0, b"10\r\nshort"),
    }
    for i, (name, (resp, b)) in enumerate(bodies.items()):
        put("HttpFuzzTest", "chunked", name, bytes([i * 5 % 64, i, resp]) + b)


def tcp():
    # Layout: configuration byte, then operations (TcpFuzzTest): 0 inject, 1 deliver, 2 drop, 3 duplicate,
    # 4 advance (u16 ms), 5 next deadline, 6 send (who, u16 bytes), 7 receive (who, u16), 8 close (who), 9 abort (who).
    deliver = bytes([1, 0])
    handshake = deliver * 3

    def send(who, n):
        return bytes([6, who]) + struct.pack("!H", n)

    def receive(who, n=65535):
        return bytes([7, who]) + struct.pack("!H", n)

    def advance(ms):
        return bytes([4]) + struct.pack("!H", ms)

    def inject(target, control, seq=0, ack=0, window=65535, options=b"\0", payload=b"", absolute=False):
        return (bytes([0, target, 1 if absolute else 0, control]) + struct.pack("!hhHH", seq, ack, window, 0)
                + options + struct.pack("!H", len(payload)) + payload)

    put("TcpFuzzTest", "stateful", "handshake-data-close",
        bytes([0x07]) + handshake + send(0, 3000) + deliver * 8 + receive(1) + send(1, 100) + deliver * 4
        + receive(0) + bytes([8, 0]) + deliver * 3 + bytes([8, 1]) + deliver * 3 + bytes([5]) * 3)
    put("TcpFuzzTest", "stateful", "loss-rto-sack",
        bytes([0x03]) + handshake + send(0, 4000) + bytes([2, 0]) + deliver * 6 + advance(1500) + deliver * 6
        + bytes([3, 0]) + receive(1) + bytes([5]) + deliver * 4)
    put("TcpFuzzTest", "stateful", "reorder-newreno",
        bytes([0x08 | 0x10]) + handshake + send(0, 2500) + bytes([1, 2, 1, 1, 1, 0]) + deliver * 4 + receive(1))
    # A SYN with every option to the listener, then data and a FIN into its half-open connection.
    syn_options = bytes([0x0F]) + struct.pack("!HB", 1460, 7) + struct.pack("!II", 12345, 0)
    put("TcpFuzzTest", "stateful", "listener-syn-options",
        bytes([0x07]) + inject(2, 0x02, options=syn_options, absolute=True) + inject(2, 0x10, seq=1, ack=1)
        + inject(2, 0x19, seq=1, ack=1, payload=b"hello") + bytes([5]) * 2)
    # A RST and a SYN in window into the established server (RFC 5961 challenge ACKs), then an abort.
    put("TcpFuzzTest", "stateful", "blind-attacks",
        bytes([0x07]) + handshake + inject(1, 0x04, seq=100) + inject(1, 0x02, seq=5) + inject(1, 0x10, ack=30000)
        + deliver * 4 + bytes([9, 0]) + deliver * 2)


if __name__ == "__main__":
    wire()
    reassembly()
    pcap()
    pcapng()
    http()
    tcp()
    total = 0
    for dirpath, _, files in os.walk(OUT):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
    print("seed corpus:", total, "bytes under", os.path.relpath(OUT, ROOT))
