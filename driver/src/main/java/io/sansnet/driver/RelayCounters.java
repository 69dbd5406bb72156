package io.sansnet.driver;

import io.sansnet.stack.fault.FaultCounters;

/**
 * What a {@link TunRelay} did, per direction ({@code aToB}: read from device A, written to device B).
 *
 * @param faultsAToB the fault model's counters, or null without impairment
 */
public record RelayCounters(
        String deviceA,
        String deviceB,
        long forwardedAToB,
        long forwardedBToA,
        long writeDropsAToB,
        long writeDropsBToA,
        long queueDropsAToB,
        long queueDropsBToA,
        FaultCounters faultsAToB,
        FaultCounters faultsBToA,
        long readErrors,
        long recordErrors) {

    /** One {@code name value} line per counter, in a fixed order. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        line(sb, "relay.aToB.device", deviceA + " -> " + deviceB);
        line(sb, "relay.aToB.forwarded", forwardedAToB);
        line(sb, "relay.aToB.writeDrops", writeDropsAToB);
        line(sb, "relay.aToB.queueDrops", queueDropsAToB);
        if (faultsAToB != null) {
            sb.append(faultsAToB.format("relay.aToB.fault."));
        }
        line(sb, "relay.bToA.device", deviceB + " -> " + deviceA);
        line(sb, "relay.bToA.forwarded", forwardedBToA);
        line(sb, "relay.bToA.writeDrops", writeDropsBToA);
        line(sb, "relay.bToA.queueDrops", queueDropsBToA);
        if (faultsBToA != null) {
            sb.append(faultsBToA.format("relay.bToA.fault."));
        }
        line(sb, "relay.readErrors", readErrors);
        line(sb, "relay.recordErrors", recordErrors);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, Object value) {
        sb.append(name).append(' ').append(value).append('\n');
    }
}
