package io.sansnet.trace.drive;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import io.sansnet.trace.tcp.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Alters captured packets: as if the capture had been edited (a payload byte flipped, the TCP checksum fixed or not),
 * as if a packet had been corrupted on the network and retransmitted, or as if checksums had been offloaded.
 */
final class Tamper {
    private Tamper() {}

    /** The frame number of the {@code nth} (from 0) captured segment from {@code from} that carries payload. */
    static long nthDataFrame(List<CapturedPacket> trace, Endpoint from, int nth) {
        int seen = 0;
        for (CapturedPacket p : trace) {
            Parsed.Ok<IpPacket> ip = ip(p);
            if (ip == null) {
                continue;
            }
            TcpSegment seg = segment(ip.value());
            if (seg != null
                    && ip.value().src().equals(from.address())
                    && seg.header().srcPort() == from.port()
                    && seg.payload().length() > 0
                    && seen++ == nth) {
                return p.frameNumber();
            }
        }
        throw new AssertionError("no data segment " + nth + " from " + from);
    }

    /** A copy of the trace in which frame {@code frame} has payload byte {@code index} inverted, checksum fixed. */
    static List<CapturedPacket> flipPayloadByte(List<CapturedPacket> trace, long frame, int index) {
        return flipPayloadByte(trace, frame, index, true);
    }

    /**
     * A copy of the trace in which frame {@code frame} has payload byte {@code index} inverted, as a hex editor would
     * leave it: its TCP checksum as captured (so it fails).
     */
    static List<CapturedPacket> flipPayloadByteOnly(List<CapturedPacket> trace, long frame, int index) {
        return flipPayloadByte(trace, frame, index, false);
    }

    /**
     * A copy of the trace with a copy of frame {@code frame} inserted just before it (same time), payload byte
     * {@code index} inverted and its checksum as captured: the packet as corrupted on the network, then (the original
     * frame) retransmitted intact. Later frames are renumbered; returns the trace, the copy is frame {@code frame}.
     */
    static List<CapturedPacket> corruptedThenRetransmitted(List<CapturedPacket> trace, long frame, int index) {
        List<CapturedPacket> flipped = flipPayloadByte(trace, frame, index, false);
        List<CapturedPacket> out = new ArrayList<>();
        for (int i = 0; i < trace.size(); i++) {
            CapturedPacket p = trace.get(i);
            if (p.frameNumber() == frame) {
                out.add(flipped.get(i));
            }
            out.add(p.frameNumber() >= frame ? renumbered(p, p.frameNumber() + 1) : p);
        }
        return out;
    }

    /** A copy of the trace with the TCP checksum of every segment {@code from} sent set to 0 (checksum offload). */
    static List<CapturedPacket> zeroChecksums(List<CapturedPacket> trace, Endpoint from) {
        List<CapturedPacket> out = new ArrayList<>();
        for (CapturedPacket p : trace) {
            Parsed.Ok<IpPacket> parsed = ip(p);
            if (parsed == null
                    || !parsed.value().src().equals(from.address())
                    || segment(parsed.value()) == null
                    || segment(parsed.value()).header().srcPort() != from.port()) {
                out.add(p);
                continue;
            }
            IpPacket ip = parsed.value();
            LinkLayer.Decoded.Ip decoded = (LinkLayer.Decoded.Ip) p.decodeIp();
            byte[] data = p.data().clone();
            int checksumAt =
                    decoded.linkHeaderLength() + (ip.length() - ip.payload().length()) + 16;
            data[checksumAt] = 0;
            data[checksumAt + 1] = 0;
            out.add(withData(p, p.frameNumber(), data));
        }
        return out;
    }

    private static CapturedPacket renumbered(CapturedPacket p, long frame) {
        return withData(p, frame, p.data());
    }

    private static CapturedPacket withData(CapturedPacket p, long frame, byte[] data) {
        return new CapturedPacket(
                frame,
                p.fileOffset(),
                p.timestampNanos(),
                p.interfaceId(),
                p.linkType(),
                p.capturedLength(),
                p.originalLength(),
                p.direction(),
                data);
    }

    private static List<CapturedPacket> flipPayloadByte(
            List<CapturedPacket> trace, long frame, int index, boolean fixChecksum) {
        List<CapturedPacket> out = new ArrayList<>();
        for (CapturedPacket p : trace) {
            if (p.frameNumber() != frame) {
                out.add(p);
                continue;
            }
            LinkLayer.Decoded.Ip decoded = (LinkLayer.Decoded.Ip) p.decodeIp();
            IpPacket ip = ip(p).value();
            byte[] tcp = ip.payload().toArray();
            TcpSegment seg = segment(ip);
            int at = seg.header().length() + index;
            tcp[at] = (byte) ~tcp[at];
            TcpSegment changed = ((Parsed.Ok<TcpSegment>) TcpSegment.parseUnverified(tcp, 0, tcp.length)).value();
            byte[] fixed = fixChecksum ? changed.encode(ip.pseudoHeader()) : tcp;
            byte[] data = p.data().clone();
            int tcpStart = decoded.linkHeaderLength() + (ip.length() - tcp.length);
            System.arraycopy(fixed, 0, data, tcpStart, fixed.length);
            out.add(new CapturedPacket(
                    p.frameNumber(),
                    p.fileOffset(),
                    p.timestampNanos(),
                    p.interfaceId(),
                    p.linkType(),
                    p.capturedLength(),
                    p.originalLength(),
                    p.direction(),
                    data));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Parsed.Ok<IpPacket> ip(CapturedPacket p) {
        if (!(p.decodeIp() instanceof LinkLayer.Decoded.Ip d)) {
            return null;
        }
        byte[] b = d.bytes();
        Parsed<IpPacket> parsed = IpPacket.parse(b, 0, b.length);
        return parsed instanceof Parsed.Ok<IpPacket> ok ? ok : null;
    }

    private static TcpSegment segment(IpPacket ip) {
        byte[] tcp = ip.payload().toArray();
        Parsed<TcpSegment> s = TcpSegment.parseUnverified(tcp, 0, tcp.length); // also when the checksum fails
        return s instanceof Parsed.Ok<TcpSegment> ok ? ok.value() : null;
    }
}
