package io.sansnet.stack.tcp;

/**
 * A snapshot of a connection, like one line of {@code ss -ti}. Sequence numbers are unsigned 32-bit values in longs.
 *
 * @param state the RFC 9293 state
 * @param sndUna SND.UNA
 * @param sndNxt SND.NXT
 * @param rcvNxt RCV.NXT
 * @param sndWnd SND.WND in octets (scaled)
 * @param rcvWnd RCV.WND in octets, as last advertised
 * @param srttNanos smoothed RTT, 0 before the first sample
 * @param rtoNanos current retransmission timeout including backoff
 * @param cwnd congestion window in octets
 * @param ssthresh slow-start threshold in octets ({@link Long#MAX_VALUE} until the first loss)
 * @param sendMss the effective send MSS (payload octets per full segment)
 * @param sendQueued octets queued and not yet acknowledged
 * @param receiveQueued octets received in order and not yet read
 * @param outOfOrderQueued octets received out of order and held for reassembly (not yet readable)
 * @param congestionControl the algorithm name
 * @param counters cumulative counters
 */
public record TcpStatus(
        TcpState state,
        long sndUna,
        long sndNxt,
        long rcvNxt,
        long sndWnd,
        long rcvWnd,
        long srttNanos,
        long rtoNanos,
        long cwnd,
        long ssthresh,
        int sendMss,
        int sendQueued,
        int receiveQueued,
        long outOfOrderQueued,
        String congestionControl,
        Counters counters) {

    /**
     * Cumulative event counts.
     *
     * @param segmentsIn segments handed to {@code handleSegment}
     * @param segmentsOut segments returned by {@code pollTransmit}
     * @param retransmittedSegments segments sent again (any cause)
     * @param fastRecoveries recoveries entered on duplicate ACKs without SACK (RFC 6582)
     * @param sackRecoveries recoveries entered with SACK (RFC 6675)
     * @param rtoExpiries retransmission timeouts
     * @param dupAcksIn duplicate ACKs received (RFC 5681 §2)
     * @param sackBlocksIn SACK blocks received
     * @param challengeAcks RFC 5961 challenge ACKs sent
     * @param pawsDrops segments dropped by PAWS (RFC 7323 §5)
     * @param zeroWindowProbes persist-timer probes sent (RFC 9293 §3.8.6.1)
     * @param keepAlivesSent keep-alive probes sent (RFC 9293 §3.8.4)
     * @param bytesAcked octets of ours the peer acknowledged
     * @param bytesReceived octets delivered in order to the receive buffer
     * @param limitedTransmits new segments sent on the first two duplicate ACKs (RFC 3042)
     * @param rescueRetransmissions rescue retransmissions of RFC 6675 §4 NextSeg rule (4)
     * @param lostRetransmissions retransmissions found lost again during SACK recovery and resent
     * @param dsacksSent D-SACK blocks we sent for duplicate segments (RFC 2883)
     * @param dsacksReceived D-SACK blocks the peer sent us (RFC 2883 §4)
     * @param spuriousRetransmissions retransmissions a D-SACK showed unnecessary (RFC 3708 §2)
     * @param undos congestion-window reductions undone as unnecessary (D-SACK, RFC 3708; timestamps, RFC 3522)
     * @param tailLossProbes tail loss probes sent (RFC 8985 §7)
     * @param invalidAcksSuppressed ACKs not sent in reply to unacceptable segments because of the rate limit of
     *     {@link TcpConfig#invalidAckIntervalNanos()}
     */
    public record Counters(
            long segmentsIn,
            long segmentsOut,
            long retransmittedSegments,
            long fastRecoveries,
            long sackRecoveries,
            long rtoExpiries,
            long dupAcksIn,
            long sackBlocksIn,
            long challengeAcks,
            long pawsDrops,
            long zeroWindowProbes,
            long keepAlivesSent,
            long bytesAcked,
            long bytesReceived,
            long limitedTransmits,
            long rescueRetransmissions,
            long lostRetransmissions,
            long dsacksSent,
            long dsacksReceived,
            long spuriousRetransmissions,
            long undos,
            long tailLossProbes,
            long invalidAcksSuppressed) {}
}
