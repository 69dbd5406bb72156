package io.sansnet.stack.fault;

/**
 * How many packets a {@link FaultModel} saw and what it did to them (a snapshot).
 *
 * @param offered packets passed to {@link FaultModel#apply}
 * @param lost packets dropped
 * @param duplicated packets delivered twice
 * @param reordered packets held back so later ones overtake them
 * @param corrupted packets with one bit flipped
 * @param corruptSkipped packets chosen for corruption that had no byte to flip (empty packets)
 * @param delivered copies handed back (originals plus duplicates)
 */
public record FaultCounters(
        long offered, long lost, long duplicated, long reordered, long corrupted, long corruptSkipped, long delivered) {

    /** One {@code name value} pair per line, in a fixed order, like {@code netstat -s}. */
    public String format(String prefix) {
        return prefix + "offered " + offered + "\n"
                + prefix + "lost " + lost + "\n"
                + prefix + "duplicated " + duplicated + "\n"
                + prefix + "reordered " + reordered + "\n"
                + prefix + "corrupted " + corrupted + "\n"
                + prefix + "corrupt-skipped " + corruptSkipped + "\n"
                + prefix + "delivered " + delivered + "\n";
    }
}
