package io.sansnet.stack.host;

import io.sansnet.stack.wire.Ipv4Address;
import io.sansnet.stack.wire.Ipv6Address;
import java.time.Duration;
import java.util.Objects;

/**
 * The addresses and limits of one {@link Host}. Every limit has a unit in its name and a default that names its source.
 * Build with {@link #builder()}, change one field with a {@code with...} method.
 *
 * @param ipv4Address this host's IPv4 address (required)
 * @param ipv4PrefixLength its prefix length, 0..32; the subnet-directed broadcast of a prefix below 31 is accepted for
 *     UDP
 * @param ipv6Address this host's IPv6 address, or {@code null} for an IPv4-only host
 * @param ipv6PrefixLength its prefix length, 0..128 (ignored without an address)
 * @param mtu the link MTU in bytes: at least 68 (RFC 791), and at least 1280 with an IPv6 address (RFC 8200 §5);
 *     default 1500 (Ethernet, and a TUN device's default)
 * @param reassemblyBudgetBytes memory for all fragments awaiting reassembly, IPv4 and IPv6 together; default 1 MiB:
 *     room for sixteen 64 KiB datagrams or some 600 incomplete 1,500-byte fragments (Linux allows 4 MiB per network
 *     namespace, {@code net.ipv4.ipfrag_high_thresh})
 * @param reassemblyTimeout how long an incomplete datagram is kept after its first fragment arrived; default 30 s,
 *     as Linux ({@code net.ipv4.ipfrag_time}); RFC 791 suggested 15 s, RFC 8200 §4.5 says 60 s for IPv6
 * @param icmpErrorsPerSecond the rate at which ICMP and ICMPv6 error messages may be sent (one token bucket); default
 *     10, the example of RFC 4443 §2.4 (f) for a small device
 * @param icmpErrorBurst the token bucket's size; default 10 (RFC 4443 §2.4 (f))
 * @param hopLimit the IPv4 TTL and IPv6 hop limit of packets this host sends, 1..255; default 64 (IANA's recommended
 *     default, RFC 1700; Linux's {@code ip_default_ttl})
 * @param udpReceiveQueueDatagrams datagrams a socket without a listener queues before it drops (counted); default 256
 * @param transmitQueuePackets packets waiting for {@link Host#pollTransmit} before further ones are dropped (counted);
 *     default 4096
 * @param ephemeralPortFirst the first port that {@code bind(0, ...)} may choose; default 49152 (RFC 6056 §2.1, IANA)
 * @param ephemeralPortLast the last such port; default 65535
 */
public record HostConfig(
        Ipv4Address ipv4Address,
        int ipv4PrefixLength,
        Ipv6Address ipv6Address,
        int ipv6PrefixLength,
        int mtu,
        long reassemblyBudgetBytes,
        Duration reassemblyTimeout,
        int icmpErrorsPerSecond,
        int icmpErrorBurst,
        int hopLimit,
        int udpReceiveQueueDatagrams,
        int transmitQueuePackets,
        int ephemeralPortFirst,
        int ephemeralPortLast) {

    /** RFC 791: "Every internet module must be able to forward a datagram of 68 octets without further fragmentation." */
    public static final int MIN_MTU_V4 = 68;
    /** RFC 8200 §5: "every link in the Internet [must] have an MTU of 1280 octets or greater". */
    public static final int MIN_MTU_V6 = 1280;
    /** The largest MTU accepted: an IPv4 total length and an IPv6 payload length are 16 bits (no jumbograms). */
    public static final int MAX_MTU = 65535;

    public static final int DEFAULT_MTU = 1500;
    public static final long DEFAULT_REASSEMBLY_BUDGET_BYTES = 1L << 20;
    public static final Duration DEFAULT_REASSEMBLY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_ICMP_ERRORS_PER_SECOND = 10;
    public static final int DEFAULT_ICMP_ERROR_BURST = 10;
    public static final int DEFAULT_HOP_LIMIT = 64;
    public static final int DEFAULT_UDP_RECEIVE_QUEUE_DATAGRAMS = 256;
    public static final int DEFAULT_TRANSMIT_QUEUE_PACKETS = 4096;
    public static final int DEFAULT_EPHEMERAL_PORT_FIRST = 49152;
    public static final int DEFAULT_EPHEMERAL_PORT_LAST = 65535;

    public HostConfig {
        Objects.requireNonNull(ipv4Address, "ipv4Address");
        Objects.requireNonNull(reassemblyTimeout, "reassemblyTimeout");
        requireRange("ipv4PrefixLength", ipv4PrefixLength, 0, 32);
        requireRange("ipv6PrefixLength", ipv6PrefixLength, 0, 128);
        requireRange("mtu", mtu, ipv6Address == null ? MIN_MTU_V4 : MIN_MTU_V6, MAX_MTU);
        if (reassemblyBudgetBytes < 0) {
            throw new IllegalArgumentException("reassemblyBudgetBytes must not be negative: " + reassemblyBudgetBytes);
        }
        if (reassemblyTimeout.isNegative() || reassemblyTimeout.isZero()) {
            throw new IllegalArgumentException("reassemblyTimeout must be positive: " + reassemblyTimeout);
        }
        requireRange("icmpErrorsPerSecond", icmpErrorsPerSecond, 1, 1_000_000_000);
        requireRange("icmpErrorBurst", icmpErrorBurst, 1, 1_000_000);
        requireRange("hopLimit", hopLimit, 1, 255);
        requireRange("udpReceiveQueueDatagrams", udpReceiveQueueDatagrams, 0, Integer.MAX_VALUE);
        requireRange("transmitQueuePackets", transmitQueuePackets, 1, Integer.MAX_VALUE);
        requireRange("ephemeralPortFirst", ephemeralPortFirst, 1, 65535);
        requireRange("ephemeralPortLast", ephemeralPortLast, ephemeralPortFirst, 65535);
    }

    private static void requireRange(String name, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ": " + v);
        }
    }

    /** A builder with every default; an IPv4 address must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when the host has an IPv6 address. */
    public boolean hasIpv6() {
        return ipv6Address != null;
    }

    public HostConfig withIpv4(Ipv4Address address, int prefixLength) {
        return toBuilder().ipv4(address, prefixLength).build();
    }

    public HostConfig withIpv6(Ipv6Address address, int prefixLength) {
        return toBuilder().ipv6(address, prefixLength).build();
    }

    public HostConfig withMtu(int bytes) {
        return toBuilder().mtu(bytes).build();
    }

    public HostConfig withReassemblyBudgetBytes(long bytes) {
        return toBuilder().reassemblyBudgetBytes(bytes).build();
    }

    public HostConfig withReassemblyTimeout(Duration timeout) {
        return toBuilder().reassemblyTimeout(timeout).build();
    }

    public HostConfig withIcmpErrorRate(int perSecond, int burst) {
        return toBuilder().icmpErrorRate(perSecond, burst).build();
    }

    public HostConfig withHopLimit(int hops) {
        return toBuilder().hopLimit(hops).build();
    }

    public HostConfig withUdpReceiveQueueDatagrams(int datagrams) {
        return toBuilder().udpReceiveQueueDatagrams(datagrams).build();
    }

    public HostConfig withTransmitQueuePackets(int packets) {
        return toBuilder().transmitQueuePackets(packets).build();
    }

    /** Builds a {@link HostConfig}; one setter per field, each returning the builder. */
    public static final class Builder {
        private Ipv4Address ipv4Address;
        private int ipv4PrefixLength = 32;
        private Ipv6Address ipv6Address;
        private int ipv6PrefixLength = 128;
        private int mtu = DEFAULT_MTU;
        private long reassemblyBudgetBytes = DEFAULT_REASSEMBLY_BUDGET_BYTES;
        private Duration reassemblyTimeout = DEFAULT_REASSEMBLY_TIMEOUT;
        private int icmpErrorsPerSecond = DEFAULT_ICMP_ERRORS_PER_SECOND;
        private int icmpErrorBurst = DEFAULT_ICMP_ERROR_BURST;
        private int hopLimit = DEFAULT_HOP_LIMIT;
        private int udpReceiveQueueDatagrams = DEFAULT_UDP_RECEIVE_QUEUE_DATAGRAMS;
        private int transmitQueuePackets = DEFAULT_TRANSMIT_QUEUE_PACKETS;
        private int ephemeralPortFirst = DEFAULT_EPHEMERAL_PORT_FIRST;
        private int ephemeralPortLast = DEFAULT_EPHEMERAL_PORT_LAST;

        private Builder() {}

        private Builder(HostConfig c) {
            ipv4Address = c.ipv4Address;
            ipv4PrefixLength = c.ipv4PrefixLength;
            ipv6Address = c.ipv6Address;
            ipv6PrefixLength = c.ipv6PrefixLength;
            mtu = c.mtu;
            reassemblyBudgetBytes = c.reassemblyBudgetBytes;
            reassemblyTimeout = c.reassemblyTimeout;
            icmpErrorsPerSecond = c.icmpErrorsPerSecond;
            icmpErrorBurst = c.icmpErrorBurst;
            hopLimit = c.hopLimit;
            udpReceiveQueueDatagrams = c.udpReceiveQueueDatagrams;
            transmitQueuePackets = c.transmitQueuePackets;
            ephemeralPortFirst = c.ephemeralPortFirst;
            ephemeralPortLast = c.ephemeralPortLast;
        }

        public Builder ipv4(Ipv4Address address, int prefixLength) {
            this.ipv4Address = address;
            this.ipv4PrefixLength = prefixLength;
            return this;
        }

        /** From {@code "198.18.0.2/15"} (the prefix is optional and defaults to 32). */
        public Builder ipv4(String addressSlashPrefix) {
            String[] p = splitPrefix(addressSlashPrefix, 32);
            return ipv4(Ipv4Address.of(p[0]), Integer.parseInt(p[1]));
        }

        /** {@code null} makes the host IPv4-only. */
        public Builder ipv6(Ipv6Address address, int prefixLength) {
            this.ipv6Address = address;
            this.ipv6PrefixLength = prefixLength;
            return this;
        }

        /** From {@code "fd00:5a::2/64"} (the prefix is optional and defaults to 128). */
        public Builder ipv6(String addressSlashPrefix) {
            String[] p = splitPrefix(addressSlashPrefix, 128);
            return ipv6(Ipv6Address.of(p[0]), Integer.parseInt(p[1]));
        }

        public Builder mtu(int bytes) {
            this.mtu = bytes;
            return this;
        }

        public Builder reassemblyBudgetBytes(long bytes) {
            this.reassemblyBudgetBytes = bytes;
            return this;
        }

        public Builder reassemblyTimeout(Duration timeout) {
            this.reassemblyTimeout = timeout;
            return this;
        }

        public Builder icmpErrorRate(int perSecond, int burst) {
            this.icmpErrorsPerSecond = perSecond;
            this.icmpErrorBurst = burst;
            return this;
        }

        public Builder hopLimit(int hops) {
            this.hopLimit = hops;
            return this;
        }

        public Builder udpReceiveQueueDatagrams(int datagrams) {
            this.udpReceiveQueueDatagrams = datagrams;
            return this;
        }

        public Builder transmitQueuePackets(int packets) {
            this.transmitQueuePackets = packets;
            return this;
        }

        public Builder ephemeralPorts(int first, int last) {
            this.ephemeralPortFirst = first;
            this.ephemeralPortLast = last;
            return this;
        }

        /** The configuration; throws {@link IllegalArgumentException} for a missing address or a value out of range. */
        public HostConfig build() {
            if (ipv4Address == null) {
                throw new IllegalArgumentException("an IPv4 address is required");
            }
            return new HostConfig(
                    ipv4Address,
                    ipv4PrefixLength,
                    ipv6Address,
                    ipv6PrefixLength,
                    mtu,
                    reassemblyBudgetBytes,
                    reassemblyTimeout,
                    icmpErrorsPerSecond,
                    icmpErrorBurst,
                    hopLimit,
                    udpReceiveQueueDatagrams,
                    transmitQueuePackets,
                    ephemeralPortFirst,
                    ephemeralPortLast);
        }

        private static String[] splitPrefix(String text, int defaultPrefix) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                return new String[] {text, Integer.toString(defaultPrefix)};
            }
            return new String[] {text.substring(0, slash), text.substring(slash + 1)};
        }
    }
}
