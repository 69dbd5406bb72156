package io.sansnet.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sansnet.stack.tcp.CongestionControl.RecoveryMode;
import org.junit.jupiter.api.Test;

/** NewReno's cwnd on a scripted loss pattern, each step computed from RFC 5681 and RFC 6582 by hand. */
class NewRenoTest {
    private static final int SMSS = 1000;

    @Test
    void initialWindowPerRfc5681Section3_1() {
        assertThat(CongestionControl.rfc5681InitialWindow(2191)).isEqualTo(2 * 2191);
        assertThat(CongestionControl.rfc5681InitialWindow(2190)).isEqualTo(3 * 2190);
        assertThat(CongestionControl.rfc5681InitialWindow(1096)).isEqualTo(3 * 1096);
        assertThat(CongestionControl.rfc5681InitialWindow(1095)).isEqualTo(4 * 1095);
        assertThat(CongestionControl.rfc5681InitialWindow(536)).isEqualTo(4 * 536);
    }

    @Test
    void scriptedLossPatternRfc5681And6582() {
        NewReno r = new NewReno(SMSS, 4 * SMSS);
        assertThat(r.ssthresh()).isEqualTo(Long.MAX_VALUE); // RFC 5681 §3.1: "arbitrarily high"

        // Slow start (RFC 5681 eq. 2): each ACK of a full segment adds min(N, SMSS).
        for (int i = 0; i < 4; i++) {
            r.onAck(0, SMSS, 0);
        }
        assertThat(r.cwnd()).isEqualTo(8000);
        r.onAck(0, 3 * SMSS, 0); // a stretch ACK still adds at most SMSS
        assertThat(r.cwnd()).isEqualTo(9000);
        r.onAck(0, 500, 0); // a partial segment adds N
        assertThat(r.cwnd()).isEqualTo(9500);

        // Third duplicate ACK with FlightSize 9500 (RFC 5681 §3.2 step 2/3, eq. 4):
        // ssthresh = max(9500/2, 2000) = 4750; cwnd = ssthresh + 3*SMSS = 7750.
        r.onCongestionEvent(0, 9500, RecoveryMode.NEW_RENO);
        assertThat(r.ssthresh()).isEqualTo(4750);
        assertThat(r.cwnd()).isEqualTo(7750);

        // Two more duplicates inflate by SMSS each (step 4).
        r.onDupAckInRecovery();
        r.onDupAckInRecovery();
        assertThat(r.cwnd()).isEqualTo(9750);

        // A partial ACK of 2500 octets (RFC 6582 step 5): deflate by 2500, add back SMSS: 9750 - 2500 + 1000.
        r.onPartialAck(2500);
        assertThat(r.cwnd()).isEqualTo(8250);
        // A partial ACK of less than SMSS: deflate only.
        r.onPartialAck(400);
        assertThat(r.cwnd()).isEqualTo(7850);

        // Full ACK with FlightSize 3000 (RFC 6582 step 3 option 1): min(ssthresh, max(3000, SMSS) + SMSS) = 4000.
        r.onRecoveryExit(0, 3000, RecoveryMode.NEW_RENO);
        assertThat(r.cwnd()).isEqualTo(4000);

        // Slow start again below ssthresh 4750: 4000 -> 5000 (cwnd += min(N, SMSS)).
        r.onAck(0, SMSS, 0);
        assertThat(r.cwnd()).isEqualTo(5000);
        // Congestion avoidance (eq. 3): cwnd += SMSS*SMSS/cwnd = 1000000/5000 = 200.
        r.onAck(0, SMSS, 0);
        assertThat(r.cwnd()).isEqualTo(5200);
        r.onAck(0, SMSS, 0); // 1000000/5200 = 192
        assertThat(r.cwnd()).isEqualTo(5392);

        // Retransmission timeout with FlightSize 5392 (RFC 5681 §3.1): ssthresh = 2696, cwnd = LW = 1 SMSS.
        r.onRetransmissionTimeout(0, 5392);
        assertThat(r.ssthresh()).isEqualTo(2696);
        assertThat(r.cwnd()).isEqualTo(SMSS);

        // A tiny flight still leaves ssthresh at 2*SMSS.
        r.onRetransmissionTimeout(0, 1000);
        assertThat(r.ssthresh()).isEqualTo(2 * SMSS);
    }

    @Test
    void sackRecoveryKeepsCwndAtSsthresh() { // RFC 6675 §5 step (4.2)
        NewReno r = new NewReno(SMSS, 10 * SMSS);
        r.onCongestionEvent(0, 10_000, RecoveryMode.SACK);
        assertThat(r.ssthresh()).isEqualTo(5000);
        assertThat(r.cwnd()).isEqualTo(5000);
        r.onRecoveryExit(0, 1000, RecoveryMode.SACK);
        assertThat(r.cwnd()).isEqualTo(5000);
    }
}
