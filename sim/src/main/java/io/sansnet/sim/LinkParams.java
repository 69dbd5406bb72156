package io.sansnet.sim;

import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.fault.Units;

/**
 * The settings of one direction of a {@link Link}.
 *
 * @param latencyNanos one-way propagation delay
 * @param jitterNanos extra delay per packet, uniform in {@code [0, jitterNanos]} (may reorder close packets, as netem
 *     jitter does)
 * @param bandwidthBitsPerSecond serialisation rate; 0 means unlimited (no serialisation delay, no queue)
 * @param queueLimitBytes bytes waiting for serialisation beyond which arriving packets are dropped (tail drop)
 * @param mtu largest packet in bytes the link carries; larger ones are dropped and counted, and answered with ICMP
 *     "fragmentation needed" / Packet Too Big when they are IPv4 with DF or IPv6 (see {@link Channel})
 * @param loss probability a packet is dropped
 * @param duplicate probability a second copy is delivered
 * @param reorder probability a packet is held back {@code reorderDelayNanos} past its successors
 * @param corrupt probability one checksum-covered bit is flipped
 * @param reorderDelayNanos how long a reordered packet is held back
 */
public record LinkParams(
        long latencyNanos,
        long jitterNanos,
        long bandwidthBitsPerSecond,
        long queueLimitBytes,
        int mtu,
        double loss,
        double duplicate,
        double reorder,
        double corrupt,
        long reorderDelayNanos) {

    /** Ethernet's MTU (RFC 894). */
    public static final int DEFAULT_MTU = 1500;

    /** The smallest MTU IPv6 allows (RFC 8200 §5); links used with IPv6 need at least this. */
    public static final int IPV6_MIN_MTU = 1280;

    /** 64 KiB of queue: about 43 full-size packets, a common small router buffer. */
    public static final long DEFAULT_QUEUE_LIMIT_BYTES = 64 * 1024;

    /** 1 ms one way, 1 Gbit/s, no faults. */
    public static final LinkParams DEFAULT = new LinkParams(
            1_000_000L,
            0,
            1_000_000_000L,
            DEFAULT_QUEUE_LIMIT_BYTES,
            DEFAULT_MTU,
            0,
            0,
            0,
            0,
            FaultSpec.DEFAULT_REORDER_DELAY_NANOS);

    public LinkParams {
        if (latencyNanos < 0 || jitterNanos < 0 || bandwidthBitsPerSecond < 0 || reorderDelayNanos < 0) {
            throw new IllegalArgumentException("durations and rates must not be negative");
        }
        if (queueLimitBytes < 0) {
            throw new IllegalArgumentException("queueLimitBytes must not be negative: " + queueLimitBytes);
        }
        if (mtu < 68) { // RFC 791: every IPv4 module must forward a 68-octet datagram
            throw new IllegalArgumentException("mtu below 68: " + mtu);
        }
        // probabilities are validated by FaultSpec
        faultSpec(loss, duplicate, reorder, corrupt, latencyNanos, jitterNanos, reorderDelayNanos);
    }

    private static FaultSpec faultSpec(
            double loss, double dup, double reorder, double corrupt, long lat, long jitter, long reorderDelay) {
        return new FaultSpec(loss, dup, reorder, corrupt, lat, jitter, reorderDelay);
    }

    /** The per-packet part, as the stack's fault model takes it: latency is its delay. */
    public FaultSpec faultSpec() {
        return faultSpec(loss, duplicate, reorder, corrupt, latencyNanos, jitterNanos, reorderDelayNanos);
    }

    /** These parameters with the fault probabilities, delay and jitter of {@code spec}. */
    public LinkParams withFaults(FaultSpec spec) {
        return new LinkParams(
                spec.delayNanos(),
                spec.jitterNanos(),
                bandwidthBitsPerSecond,
                queueLimitBytes,
                mtu,
                spec.loss(),
                spec.duplicate(),
                spec.reorder(),
                spec.corrupt(),
                spec.reorderDelayNanos());
    }

    public LinkParams withLatencyNanos(long v) {
        return withFaults(faultSpec().withDelayNanos(v));
    }

    public LinkParams withJitterNanos(long v) {
        return withFaults(faultSpec().withJitterNanos(v));
    }

    public LinkParams withLoss(double p) {
        return withFaults(faultSpec().withLoss(p));
    }

    public LinkParams withDuplicate(double p) {
        return withFaults(faultSpec().withDuplicate(p));
    }

    public LinkParams withReorder(double p) {
        return withFaults(faultSpec().withReorder(p));
    }

    public LinkParams withCorrupt(double p) {
        return withFaults(faultSpec().withCorrupt(p));
    }

    public LinkParams withBandwidthBitsPerSecond(long v) {
        return new LinkParams(
                latencyNanos,
                jitterNanos,
                v,
                queueLimitBytes,
                mtu,
                loss,
                duplicate,
                reorder,
                corrupt,
                reorderDelayNanos);
    }

    public LinkParams withQueueLimitBytes(long v) {
        return new LinkParams(
                latencyNanos,
                jitterNanos,
                bandwidthBitsPerSecond,
                v,
                mtu,
                loss,
                duplicate,
                reorder,
                corrupt,
                reorderDelayNanos);
    }

    public LinkParams withMtu(int v) {
        return new LinkParams(
                latencyNanos,
                jitterNanos,
                bandwidthBitsPerSecond,
                queueLimitBytes,
                v,
                loss,
                duplicate,
                reorder,
                corrupt,
                reorderDelayNanos);
    }

    /** Serialisation time of {@code bytes} at this bandwidth, rounded up; 0 when unlimited. */
    public long serializationNanos(int bytes) {
        if (bandwidthBitsPerSecond == 0) {
            return 0;
        }
        long bitsTimesSecond = bytes * 8L * 1_000_000_000L;
        return (bitsTimesSecond + bandwidthBitsPerSecond - 1) / bandwidthBitsPerSecond;
    }

    @Override
    public String toString() {
        return "latency=" + Units.formatDuration(latencyNanos) + ",jitter=" + Units.formatDuration(jitterNanos)
                + ",bandwidth=" + bandwidthBitsPerSecond + "bit,queue=" + queueLimitBytes + "B,mtu=" + mtu
                + (faultSpec().format().isEmpty()
                        ? ""
                        : "," + faultSpec().withDelayNanos(0).withJitterNanos(0).format());
    }
}
