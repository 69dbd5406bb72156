package io.sansnet.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address text forms: RFC 4291 §2.2 in, RFC 5952 out; dotted quads. No name lookup anywhere. */
class AddressTest {

    @Test
    void ipv4TextAndBits() {
        Ipv4Address a = Ipv4Address.of("198.18.0.2");
        assertThat(a.bits()).isEqualTo(0xC6120002);
        assertThat(a).hasToString("198.18.0.2");
        assertThat(a.inSubnet(Ipv4Address.of("198.18.0.0"), 15)).isTrue();
        assertThat(Ipv4Address.of("198.20.0.1").inSubnet(Ipv4Address.of("198.18.0.0"), 15))
                .isFalse();
        assertThat(Ipv4Address.of("224.0.0.1").isMulticast()).isTrue();
        assertThat(Ipv4Address.of(255, 255, 255, 255)).isEqualTo(Ipv4Address.BROADCAST);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ", "a.b.c.d", "-1.2.3.4"})
    void badIpv4TextIsAnError(String s) {
        assertThat(Ipv4Address.parse(s).isOk()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> Ipv4Address.of(s));
    }

    @ParameterizedTest
    @CsvSource({
        "fd00:5a::2, fd00:5a::2",
        "FD00:005A:0:0:0:0:0:2, fd00:5a::2",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // RFC 5952 §4.2.3: the first of equal runs
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", // the longest run
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // RFC 5952 §4.2.2: a single zero group stays
        "::ffff:198.18.0.2, ::ffff:198.18.0.2",
        "64:ff9b::198.18.0.2, 64:ff9b::c612:2",
        "fe80::651e:ede6:fda4:72c0, fe80::651e:ede6:fda4:72c0"
    })
    void ipv6TextIsCanonicalised(String in, String out) {
        Ipv6Address a = Ipv6Address.of(in);
        assertThat(a).hasToString(out);
        assertThat(Ipv6Address.of(out)).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ":",
                ":::",
                "1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:8:9",
                "1::2::3",
                "12345::",
                "g::",
                ":1::",
                "1:",
                "::1.2.3",
                "1:2:3:4:5:6:7:1.2.3.4",
                "1:2:3:4:5:6:7:8::",
                "fd00:5a::2%eth0"
            })
    void badIpv6TextIsAnError(String s) {
        assertThat(Ipv6Address.parse(s).isOk()).isFalse();
    }

    @Test
    void ipv6BytesAndPredicates() {
        Ipv6Address a = Ipv6Address.of("fd00:5a::2");
        byte[] b = a.toBytes();
        assertThat(b[0]).isEqualTo((byte) 0xfd);
        assertThat(b[3]).isEqualTo((byte) 0x5a);
        assertThat(b[15]).isEqualTo((byte) 2);
        assertThat(a.group(1)).isEqualTo(0x5a);
        assertThat(a.inSubnet(Ipv6Address.of("fd00:5a::"), 64)).isTrue();
        assertThat(a.inSubnet(Ipv6Address.of("fd00:5b::"), 64)).isFalse();
        assertThat(Ipv6Address.of("ff02::1").isMulticast()).isTrue();
        assertThat(Ipv6Address.of("fe80::1").isLinkLocal()).isTrue();
        assertThat(Ipv6Address.of("fec0::1").isLinkLocal()).isFalse();
        assertThat(IpAddress.of("198.18.0.2")).isInstanceOf(Ipv4Address.class);
    }
}
