package io.sansnet.stack.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FaultSpecTest {

    private static ImpairSpec ok(String text) {
        SpecParse<ImpairSpec> r = FaultSpec.parse(text);
        assertThat(r).as(text).isInstanceOf(SpecParse.Ok.class);
        return ((SpecParse.Ok<ImpairSpec>) r).value();
    }

    private static SpecError err(String text) {
        SpecParse<ImpairSpec> r = FaultSpec.parse(text);
        assertThat(r).as(text).isInstanceOf(SpecParse.Err.class);
        return ((SpecParse.Err<ImpairSpec>) r).error();
    }

    @Test
    void fullSpecParsesEveryKey() {
        ImpairSpec s =
                ok("loss=0.1,duplicate=0.05,reorder=.2,corrupt=1,delay=20ms,jitter=500us,reorder-delay=3s,seed=42");
        assertThat(s.spec()).isEqualTo(new FaultSpec(0.1, 0.05, 0.2, 1.0, 20_000_000L, 500_000L, 3_000_000_000L));
        assertThat(s.seed()).isEqualTo(OptionalLong.of(42));
    }

    @Test
    void subsetKeepsDefaultsAndNoSeed() {
        ImpairSpec s = ok("reorder=0.1");
        assertThat(s.spec()).isEqualTo(FaultSpec.NONE.withReorder(0.1));
        assertThat(s.spec().reorderDelayNanos()).isEqualTo(2_000_000L);
        assertThat(s.seed()).isEmpty();
    }

    @Test
    void emptyAndNoneAreNone() {
        assertThat(ok("").spec()).isEqualTo(FaultSpec.NONE);
        assertThat(ok("none").spec().isNone()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "loss=1.5, loss, 1.5",
        "loss=-0.1, loss, -0.1",
        "loss=abc, loss, abc",
        "loss=NaN, loss, NaN",
        "loss=1e-3, loss, 1e-3",
        "corrupt=, corrupt, ''",
        "delay=10, delay, 10",
        "delay=10min, delay, 10min",
        "jitter=-1ms, jitter, -1ms",
        "reorder-delay=1.5ms, reorder-delay, 1.5ms",
        "delay=99999999999999999s, delay, 99999999999999999s",
        "seed=x1, seed, x1",
        "bogus=1, bogus, 1",
    })
    void badValueNamesKeyAndValue(String text, String key, String value) {
        SpecError e = err(text);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.message()).startsWith(key + "=" + value + ": ");
    }

    @Test
    void repeatedKeyIsAnError() {
        assertThat(err("loss=0.1,loss=0.2").reason()).contains("twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"loss", "loss=0.1,", ",loss=0.1", "=0.1", "loss=0.1;reorder=0.1", "loss=0.1 "})
    void malformedItemsAreErrors(String text) {
        assertThat(FaultSpec.parse(text)).isInstanceOf(SpecParse.Err.class);
    }

    @Test
    void tooLongTextIsRejected() {
        assertThat(err("loss=0.1,".repeat(500)).reason()).contains("longer");
    }

    @Test
    void unsignedSeedIsAccepted() {
        assertThat(ok("seed=18446744073709551615").seed()).isEqualTo(OptionalLong.of(-1L));
        assertThat(ok("seed=-7").seed()).isEqualTo(OptionalLong.of(-7L));
    }

    @Test
    void formatParsesBack() {
        FaultSpec s = new FaultSpec(0.00001, 0.5, 0.25, 0.125, 1_500_000L, 7L, 9_000L);
        ImpairSpec i = new ImpairSpec(s, OptionalLong.of(-3));
        assertThat(ok(i.format())).isEqualTo(i);
        assertThat(FaultSpec.NONE.format()).isEmpty();
        assertThat(FaultSpec.NONE.withLoss(0.1).toString()).isEqualTo("loss=0.1");
    }

    @Test
    void constructorRejectsInvalidValues() {
        assertThatThrownBy(() -> FaultSpec.NONE.withLoss(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSpec.NONE.withCorrupt(1.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSpec.NONE.withDelayNanos(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"800kbit, 800000", "10mbit, 10000000", "1gbit, 1000000000", "64bit, 64"})
    void ratesParse(String text, long bps) {
        assertThat(Units.rateBitsPerSecond("bandwidth", text)).isEqualTo(new SpecParse.Ok<>(bps));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0kbit", "10", "mbit", "1.5mbit", "10Mbit", "99999999999999gbit"})
    void badRatesAreErrors(String text) {
        assertThat(Units.rateBitsPerSecond("bandwidth", text)).isInstanceOf(SpecParse.Err.class);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "5ns, 5", "3us, 3000", "20ms, 20000000", "2s, 2000000000"})
    void durationsParseAndFormat(String text, long nanos) {
        assertThat(Units.durationNanos("latency", text)).isEqualTo(new SpecParse.Ok<>(nanos));
        assertThat(Units.formatDuration(nanos)).isEqualTo(text);
    }
}
