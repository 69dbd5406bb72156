package io.sansnet.sim;

/**
 * What one direction of a link did with its packets (a snapshot). Every offered packet is dropped (lost, queue,
 * partition, MTU) or delivered; a duplicated packet is delivered twice.
 *
 * @param offered packets a node put on this direction
 * @param delivered copies handed to the receiving node (duplicates included)
 * @param lost packets the fault model dropped
 * @param duplicated extra copies the fault model made
 * @param reordered packets held back past their successors
 * @param corrupted packets with one bit flipped
 * @param queueDrops packets dropped because the queue was full (tail drop)
 * @param partitionDrops packets dropped because the direction was partitioned
 * @param mtuDrops packets larger than the MTU
 */
public record ChannelStats(
        long offered,
        long delivered,
        long lost,
        long duplicated,
        long reordered,
        long corrupted,
        long queueDrops,
        long partitionDrops,
        long mtuDrops) {

    public static final ChannelStats ZERO = new ChannelStats(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The field-wise sum. */
    public ChannelStats plus(ChannelStats o) {
        return new ChannelStats(
                offered + o.offered,
                delivered + o.delivered,
                lost + o.lost,
                duplicated + o.duplicated,
                reordered + o.reordered,
                corrupted + o.corrupted,
                queueDrops + o.queueDrops,
                partitionDrops + o.partitionDrops,
                mtuDrops + o.mtuDrops);
    }
}
