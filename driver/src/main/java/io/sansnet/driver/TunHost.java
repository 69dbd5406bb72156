package io.sansnet.driver;

import io.sansnet.driver.tun.NativeException;
import io.sansnet.driver.tun.TunDevice;
import io.sansnet.stack.fault.FaultModel;
import io.sansnet.stack.fault.FaultSpec;
import io.sansnet.stack.host.Host;
import io.sansnet.stack.rand.SplitMix64;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a sans-io {@link Host} on a TUN device: the Linux kernel on the other side of the device is its peer.
 *
 * <p>Each iteration of the loop (see {@link DriverLoop} for the threading model) feeds the packets read from the device
 * to {@link Host#receive} with the iteration's time, calls {@link Host#handleTimeout} when {@link Host#pollTimeout} has
 * passed, and writes what {@link Host#pollTransmit} gives; then it sleeps in {@code ppoll(2)} until the next packet, a
 * task, or the earliest of the host's deadline and the release of a delayed packet. Times given to the host are
 * nanoseconds since the loop started. A write that fails (EIO while the link is down, say) is counted in
 * {@link TunHostCounters#writeDrops()} and the loop keeps running.
 *
 * <p>The host belongs to the loop thread once {@link #start()} has run: configure it (bind sockets) before, or from a
 * task given to {@link #execute(Runnable)}. UDP handlers are called on the loop thread.
 *
 * <p>Optional impairment: one seeded {@link FaultModel} per direction (streams {@code derive(seed, "inbound")} for
 * kernel to host, {@code "outbound"} for host to kernel), so the kernel sees a real lossy path. Optional recording:
 * every packet the host receives (after inbound impairment) and sends (before outbound impairment).
 */
public final class TunHost extends DriverLoop {

    private final TunDevice device;
    private final Host host;
    private final ImpairedPath inbound;
    private final ImpairedPath outbound;
    private final PacketRecorder recorder;
    private final Consumer<byte[]> deliverToHost = this::deliverToHost;
    private final Consumer<byte[]> writeToDevice = this::writeToDevice;
    private long now;
    private long packetsRead;
    private long packetsWritten;
    private long writeDrops;
    private long recordErrors;
    private long reassemblyPeakBytes;

    /**
     * @param spec fault settings for both directions ({@link FaultSpec#NONE}: none)
     * @param seed the root of the two directions' fault streams
     * @param recorder where to record packets, or null
     */
    public TunHost(TunDevice device, Host host, FaultSpec spec, long seed, PacketRecorder recorder)
            throws NativeException {
        super("host " + device.label(), device);
        Objects.requireNonNull(spec, "spec");
        this.device = device;
        this.host = Objects.requireNonNull(host, "host");
        this.recorder = recorder;
        this.inbound = new ImpairedPath(
                spec.isNone() ? null : new FaultModel(spec, new SplitMix64(SplitMix64.derive(seed, "inbound"))));
        this.outbound = new ImpairedPath(
                spec.isNone() ? null : new FaultModel(spec, new SplitMix64(SplitMix64.derive(seed, "outbound"))));
    }

    /** The host: touch it only before {@link #start()}, from a task on the loop, or after the loop ended. */
    public Host host() {
        return host;
    }

    public TunDevice device() {
        return device;
    }

    @Override
    protected void onPacket(int deviceIndex, byte[] packet, long nowNanos) {
        now = nowNanos;
        packetsRead++;
        inbound.offer(packet, nowNanos, deliverToHost);
    }

    @Override
    protected void onTick(long nowNanos) {
        now = nowNanos;
        inbound.releaseDue(nowNanos, deliverToHost);
        if (nowNanos >= host.pollTimeout()) {
            host.handleTimeout(nowNanos);
        }
        for (byte[] p; (p = host.pollTransmit(nowNanos)) != null; ) {
            record(p);
            outbound.offer(p, nowNanos, writeToDevice);
        }
        outbound.releaseDue(nowNanos, writeToDevice);
    }

    @Override
    protected long nextDeadlineNanos() {
        return Math.min(host.pollTimeout(), Math.min(inbound.nextDueNanos(), outbound.nextDueNanos()));
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

    private void deliverToHost(byte[] packet) {
        record(packet);
        host.receive(packet, now);
        reassemblyPeakBytes = Math.max(reassemblyPeakBytes, host.reassemblyMemoryBytes());
    }

    private void writeToDevice(byte[] packet) {
        if (device.write(packet) == 0) {
            packetsWritten++;
        } else {
            writeDrops++;
        }
    }

    private void record(byte[] packet) {
        if (recorder != null) {
            try {
                recorder.record(epochNanos(now), packet);
            } catch (IOException e) {
                recordErrors++;
            }
        }
    }

    /** A snapshot of the driver's and the host's counters: call on the loop thread or after the loop ended. */
    public TunHostCounters counters() {
        return new TunHostCounters(
                device.label(),
                packetsRead,
                packetsWritten,
                writeDrops,
                inbound.overflowDrops() + outbound.overflowDrops(),
                inbound.faultCounters(),
                outbound.faultCounters(),
                readErrors(),
                recordErrors,
                host.counters(),
                host.reassemblyMemoryBytes(),
                reassemblyPeakBytes,
                host.config().reassemblyBudgetBytes());
    }
}
