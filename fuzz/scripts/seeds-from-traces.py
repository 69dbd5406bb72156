#!/usr/bin/env python3
"""Seeds for the fuzz targets, taken from the trace corpus (replay-traces/src/test/resources/traces).

    fuzz/scripts/seeds-from-traces.py            writes trace-*.bin seeds into the Inputs folders

Per trace: packets of different shapes (SYN, SYN-ACK, data, SACK-bearing, FIN, RST; v4 only in this corpus) for the
ipv4 and tcp targets, the first 4 KiB of the file for the pcap/pcapng reader targets, and the first bytes of the
HTTP request and response streams for the HTTP targets. Deterministic: the same corpus gives the same seeds.
Each seed starts with the control bytes its target reads (see the target's Javadoc).
"""
import hashlib, os, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRACES = os.path.join(ROOT, "replay-traces/src/test/resources/traces")
INPUTS = os.path.join(ROOT, "fuzz/src/test/resources/io/sansnet/fuzz")


def packets(path):
    """(linktype, frame) of a classic pcap or a pcapng file (EPBs only, as in the corpus)."""
    data = open(path, "rb").read()
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        off, links = 0, []
        while off + 12 <= len(data):
            btype, blen = struct.unpack_from("<II", data, off)
            if btype == 1:
                links.append(struct.unpack_from("<H", data, off + 8)[0])
            elif btype == 6:
                iface, _, _, caplen = struct.unpack_from("<IIII", data, off + 8)
                yield links[iface], data[off + 28: off + 28 + caplen]
            off += blen
        return
    magic = struct.unpack_from("<I", data)[0]
    e = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    link = struct.unpack_from(e + "I", data, 20)[0]
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from(e + "I", data, off + 8)[0]
        yield link, data[off + 16: off + 16 + caplen]
        off += 16 + caplen


def ip_of(link, frame):
    if link == 101:
        return frame
    if link == 276:  # SLL2: 20-byte header
        return frame[20:]
    return None


def shape(ip):
    ihl = (ip[0] & 15) * 4
    tcp = ip[ihl:]
    flags = tcp[13]
    opts = tcp[20:(tcp[12] >> 4) * 4]
    sack = b"\x05" in opts[:1] or any(opts[i] == 5 for i in range(len(opts)))
    has_data = len(tcp) > (tcp[12] >> 4) * 4
    return (flags & 0x17, sack, has_data)


def write(target, name, content):
    d = os.path.join(INPUTS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(content)


def main():
    count = 0
    for trace in sorted(os.listdir(TRACES)):
        if not trace.endswith((".pcap", ".pcapng")):
            continue
        path = os.path.join(TRACES, trace)
        stem = trace.replace(".", "-")
        kind = "pcapng" if trace.endswith(".pcapng") else "pcap"
        write("CaptureFuzzTestInputs/" + kind, "trace-%s.bin" % stem, open(path, "rb").read()[:4096])
        count += 1
        seen = set()
        streams = {}
        for link, frame in packets(path):
            ip = ip_of(link, frame)
            if not ip or ip[0] >> 4 != 4 or ip[9] != 6:
                continue
            ihl = (ip[0] & 15) * 4
            tcp = ip[ihl:]
            hl = (tcp[12] >> 4) * 4
            sport, dport = struct.unpack_from(">HH", tcp)
            key = (ip[12:16], sport, ip[16:20], dport)
            streams.setdefault(key, bytearray()).extend(tcp[hl:])
            s = shape(ip)
            if s in seen:
                continue
            seen.add(s)
            # Keep at most 64 payload bytes: the parsers' interest is in the headers.
            ip_short = bytearray(ip[: ihl + hl + min(64, len(tcp) - hl)])
            struct.pack_into(">H", ip_short, 2, len(ip_short))
            tag = hashlib.sha1(bytes(ip_short)).hexdigest()[:12]  # by content: the same packet in two traces is one seed
            write("WireFuzzTestInputs/ipv4", "trace-%s.bin" % tag, b"\x01" + bytes(ip_short))
            write("WireFuzzTestInputs/tcp", "trace-%s.bin" % tag, b"\x01" + bytes(ip_short[ihl:]))
            count += 2
        if trace.startswith("http"):
            for key, data in streams.items():
                if data.startswith(b"GET ") or data.startswith(b"POST "):
                    write("HttpFuzzTestInputs/request", "trace-%s.bin" % stem, b"\x10\x07\x00" + bytes(data[:2048]))
                    count += 1
                elif data.startswith(b"HTTP/"):
                    write("HttpFuzzTestInputs/response", "trace-%s.bin" % stem, b"\x10\x07\x00" + bytes(data[:2048]))
                    count += 1
    print("wrote %d seeds from %s" % (count, TRACES))


if __name__ == "__main__":
    sys.exit(main())
