package io.sansnet.driver;

import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.fault.FaultModel;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.rand.SplitMix64;
import java.io.IOException;
import java.util.Objects;

/**
 * A user-space netem between two TUN devices (usually in two network namespaces): every packet read from device A is
 * written to device B and the other way round, through one seeded {@link FaultModel} per direction, so two Linux
 * kernels talk over a lossy, reordering, corrupting path. Each direction's fault stream is
 * {@code SplitMix64.derive(seed, "a-to-b")} or {@code "b-to-a"}, so one direction's pattern does not depend on the
 * other's traffic.
 *
 * <p>With a {@link PacketRecorder}, every packet is recorded as it is written to its destination device: what the
 * receiving kernel sees (lost packets are absent, reordered ones appear late, corrupted ones carry a bad checksum).
 *
 * <p>Threading: see {@link DriverLoop}. Counters are safe to read once the loop has ended.
 */
public final class TunRelay extends DriverLoop {

    private final TunDevice[] devices;
    private final ImpairedPath[] paths; // paths[0]: A to B, paths[1]: B to A
    private final PacketRecorder recorder;
    private final long[] forwarded = new long[2];
    private final long[] writeDrops = new long[2];
    private long recordErrors;
    private long now;

    /**
     * @param spec the fault settings for both directions ({@link FaultSpec#NONE} to copy packets unchanged)
     * @param seed the root of both directions' fault streams
     * @param recorder where to record packets, or null
     */
    public TunRelay(TunDevice a, TunDevice b, FaultSpec spec, long seed, PacketRecorder recorder)
            throws NativeException {
        super("relay " + a.label() + " <-> " + b.label(), a, b);
        Objects.requireNonNull(spec, "spec");
        this.devices = new TunDevice[] {a, b};
        this.recorder = recorder;
        this.paths = new ImpairedPath[] {
            new ImpairedPath(
                    spec.isNone() ? null : new FaultModel(spec, new SplitMix64(SplitMix64.derive(seed, "a-to-b")))),
            new ImpairedPath(
                    spec.isNone() ? null : new FaultModel(spec, new SplitMix64(SplitMix64.derive(seed, "b-to-a"))))
        };
    }

    @Override
    protected void onPacket(int device, byte[] packet, long nowNanos) {
        now = nowNanos;
        int to = 1 - device;
        paths[device].offer(packet, nowNanos, p -> writeTo(to, p));
    }

    @Override
    protected void onTick(long nowNanos) {
        now = nowNanos;
        paths[0].releaseDue(nowNanos, p -> writeTo(1, p));
        paths[1].releaseDue(nowNanos, p -> writeTo(0, p));
    }

    @Override
    protected long nextDeadlineNanos() {
        return Math.min(paths[0].nextDueNanos(), paths[1].nextDueNanos());
    }

    @Override
    protected void onStop() {
        if (recorder != null) {
            try {
                recorder.close();
            } catch (IOException e) {
                recordErrors++;
            }
        }
    }

    private void writeTo(int device, byte[] packet) {
        int direction = 1 - device;
        if (recorder != null) {
            try {
                recorder.record(epochNanos(now), packet);
            } catch (IOException e) {
                recordErrors++;
            }
        }
        if (devices[device].write(packet) != 0) {
            writeDrops[direction]++; // e.g. EIO while the destination link is down
        } else {
            forwarded[direction]++;
        }
    }

    /** A snapshot of the relay's counters (safe after the loop has ended). */
    public RelayCounters counters() {
        return new RelayCounters(
                devices[0].label(),
                devices[1].label(),
                forwarded[0],
                forwarded[1],
                writeDrops[0],
                writeDrops[1],
                paths[0].overflowDrops(),
                paths[1].overflowDrops(),
                paths[0].faultCounters(),
                paths[1].faultCounters(),
                readErrors(),
                recordErrors);
    }
}
