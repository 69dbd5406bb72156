package io.sansnet.stack.wire;

/**
 * The eight TCP control bits of octet 13 (RFC 9293 §3.1; CWR and ECE from RFC 3168).
 *
 * @param bits 0..255, a combination of the constants
 */
public record TcpFlags(int bits) {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public static final TcpFlags NONE = new TcpFlags(0);
    public static final TcpFlags SYN_ONLY = new TcpFlags(SYN);
    public static final TcpFlags SYN_ACK = new TcpFlags(SYN | ACK);
    public static final TcpFlags ACK_ONLY = new TcpFlags(ACK);
    public static final TcpFlags PSH_ACK = new TcpFlags(PSH | ACK);
    public static final TcpFlags FIN_ACK = new TcpFlags(FIN | ACK);
    public static final TcpFlags RST_ONLY = new TcpFlags(RST);
    public static final TcpFlags RST_ACK = new TcpFlags(RST | ACK);

    private static final String[] NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    public TcpFlags {
        Wire.checkRange("flags", bits, 0, 0xFF);
    }

    public static TcpFlags of(int bits) {
        return new TcpFlags(bits);
    }

    /** True when every bit of {@code mask} is set. */
    public boolean has(int mask) {
        return (bits & mask) == mask;
    }

    public TcpFlags with(int mask) {
        return new TcpFlags(bits | mask);
    }

    public TcpFlags without(int mask) {
        return new TcpFlags(bits & ~mask);
    }

    public boolean fin() {
        return has(FIN);
    }

    public boolean syn() {
        return has(SYN);
    }

    public boolean rst() {
        return has(RST);
    }

    public boolean psh() {
        return has(PSH);
    }

    public boolean ack() {
        return has(ACK);
    }

    public boolean urg() {
        return has(URG);
    }

    public boolean ece() {
        return has(ECE);
    }

    public boolean cwr() {
        return has(CWR);
    }

    /** Like tcpdump: {@code SYN|ACK}, or {@code none}. */
    @Override
    public String toString() {
        if (bits == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(NAMES[i]);
            }
        }
        return sb.toString();
    }
}
