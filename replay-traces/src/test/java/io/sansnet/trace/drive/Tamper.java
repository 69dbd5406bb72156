package io.sansnet.trace.drive;

import io.sansnet.stack.wire.IpPacket;
import io.sansnet.stack.wire.Parsed;
import io.sansnet.stack.wire.TcpSegment;
import io.sansnet.trace.pcap.CapturedPacket;
import io.sansnet.trace.pcap.LinkLayer;
import io.sansnet.trace.tcp.Endpoint;
import java.util.ArrayList;
import java.util.List;

/** Alters captured packets as if the capture had been edited: a payload byte flipped and the TCP checksum fixed. */
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
            byte[] fixed = changed.encode(ip.pseudoHeader());
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
        Parsed<TcpSegment> s = TcpSegment.parse(ip.payload(), ip.pseudoHeader());
        return s instanceof Parsed.Ok<TcpSegment> ok ? ok.value() : null;
    }
}
