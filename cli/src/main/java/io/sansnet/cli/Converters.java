package io.sansnet.cli;

import io.sansnet.stack.fault.ImpairSpec;
import io.sansnet.stack.fault.SpecParse;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the value syntax of the CLI contract; a bad value becomes a usage error naming it. */
final class Converters {
    private Converters() {}

    /** {@code --impair SPEC}. */
    static final class Impair implements ITypeConverter<ImpairSpec> {
        @Override
        public ImpairSpec convert(String value) {
            SpecParse<ImpairSpec> r = ImpairSpec.parse(value);
            if (r instanceof SpecParse.Err<ImpairSpec> e) {
                throw new TypeConversionException(e.error().message());
            }
            return ((SpecParse.Ok<ImpairSpec>) r).value();
        }
    }

    /** {@code NAME} or {@code NAME@NETNS}. */
    record TunName(String name, String netns) {
        String label() {
            return netns == null ? name : name + "@" + netns;
        }
    }

    static final class Tun implements ITypeConverter<TunName> {
        @Override
        public TunName convert(String value) {
            int at = value.indexOf('@');
            String name = at < 0 ? value : value.substring(0, at);
            String netns = at < 0 ? null : value.substring(at + 1);
            if (name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.%-]+")) {
                throw new TypeConversionException(
                        "'" + value + "': an interface name is 1..15 characters of letters, digits, '-', '_', '.'");
            }
            if (netns != null && (netns.isEmpty() || !netns.matches("[A-Za-z0-9_.-]+") || netns.startsWith("."))) {
                throw new TypeConversionException("'" + value + "': expected NAME@NETNS with a namespace name");
            }
            return new TunName(name, netns);
        }
    }
}
