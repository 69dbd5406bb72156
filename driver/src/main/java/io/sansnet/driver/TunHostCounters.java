package io.sansnet.driver;

import io.sansnet.stack.fault.FaultCounters;
import io.sansnet.stack.host.HostCounters;

/**
 * What a {@link TunHost} and its host did: the driver's own counters, the fault models' (null without impairment) and
 * the host's ({@code netstat -s} style), and the reassembly memory now, at its peak and its budget.
 */
public record TunHostCounters(
        String device,
        long packetsRead,
        long packetsWritten,
        long writeDrops,
        long queueDrops,
        FaultCounters inboundFaults,
        FaultCounters outboundFaults,
        long readErrors,
        long recordErrors,
        HostCounters host,
        long reassemblyMemoryBytes,
        long reassemblyPeakBytes,
        long reassemblyBudgetBytes) {

    /** One {@code name value} line per counter: driver counters, fault counters, then every host counter. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("driver.device ").append(device).append('\n');
        sb.append("driver.packetsRead ").append(packetsRead).append('\n');
        sb.append("driver.packetsWritten ").append(packetsWritten).append('\n');
        sb.append("driver.writeDrops ").append(writeDrops).append('\n');
        sb.append("driver.queueDrops ").append(queueDrops).append('\n');
        sb.append("driver.readErrors ").append(readErrors).append('\n');
        sb.append("driver.recordErrors ").append(recordErrors).append('\n');
        if (inboundFaults != null) {
            sb.append(inboundFaults.format("impair.inbound."));
        }
        if (outboundFaults != null) {
            sb.append(outboundFaults.format("impair.outbound."));
        }
        for (HostCounters.Entry e : host.entries()) {
            sb.append(e.name()).append(' ').append(e.value()).append('\n');
        }
        sb.append("reassembly.memoryBytes ").append(reassemblyMemoryBytes).append('\n');
        sb.append("reassembly.peakBytes ").append(reassemblyPeakBytes).append('\n');
        sb.append("reassembly.budgetBytes ").append(reassemblyBudgetBytes).append('\n');
        return sb.toString();
    }
}
