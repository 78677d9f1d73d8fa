package dev.asyncio.spring.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;

import dev.asyncio.core.Framing;
import dev.asyncio.core.FramingBuilder;
import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Maps {@code async-io.handles.<name>.framing.*} onto the core's {@link FramingBuilder}. A key that does not apply to
 * the configured type, and every option the core's builder refuses ({@link IllegalArgumentException}), becomes an
 * {@link AsyncIoConfigurationException} naming the property. Stateless; used while the context refreshes.
 */
final class FramingMapper {

    private FramingMapper() {
    }

    /**
     * @param prefix the handle's prefix, e.g. {@code async-io.handles.frames}
     * @param props the handle's framing properties
     * @return the framing, or {@code null} for type {@code none}
     * @throws AsyncIoConfigurationException naming the first property that breaks a rule
     */
    static @Nullable Framing framing(String prefix, FramingProperties props) {
        String p = prefix + ".framing";
        FramingProperties.Type type = props.getType();
        checkApplies(p, props);
        if (type == FramingProperties.Type.NONE) {
            return null;
        }
        try {
            FramingBuilder builder = Framing.builder(kind(type));
            if (type == FramingProperties.Type.DELIMITER) {
                if (props.getDelimiter() == null || props.getDelimiter().isEmpty()) {
                    throw new AsyncIoConfigurationException(p + ".delimiter", null,
                            "is not set, but " + p + ".type is delimiter",
                            "Set " + p + ".delimiter to the delimiter's characters, e.g. \\x03 or \\r\\n.");
                }
                builder.delimiter(delimiterBytes(p + ".delimiter", props.getDelimiter()));
            }
            if (type == FramingProperties.Type.FIXED) {
                if (props.getFixedLength() == null) {
                    throw new AsyncIoConfigurationException(p + ".fixed-length", null, "is not set, but " + p
                            + ".type is fixed", "Set " + p + ".fixed-length to the size of every frame, e.g. 128B.");
                }
                builder.lengthFieldLength(toInt(p + ".fixed-length", props.getFixedLength()));
            }
            if (type == FramingProperties.Type.ASCII_LENGTH) {
                if (props.getAsciiDigits() == null) {
                    throw new AsyncIoConfigurationException(p + ".ascii-digits", null, "is not set, but " + p
                            + ".type is ascii-length", "Set " + p + ".ascii-digits to the header's digits, 1 to 18.");
                }
                builder.lengthFieldLength(props.getAsciiDigits());
            }
            if (props.getLengthFieldLength() != null) {
                builder.lengthFieldLength(props.getLengthFieldLength());
            }
            if (props.getByteOrder() != null) {
                builder.byteOrder(props.getByteOrder() == FramingProperties.Order.BIG_ENDIAN ? ByteOrder.BIG_ENDIAN
                        : ByteOrder.LITTLE_ENDIAN);
            }
            if (props.getLengthIncludesHeader() != null) {
                builder.lengthIncludesHeader(props.getLengthIncludesHeader());
            }
            if (props.getLengthFieldOffset() != null) {
                builder.lengthFieldOffset(props.getLengthFieldOffset());
            }
            if (props.getLengthAdjustment() != null) {
                builder.lengthAdjustment(props.getLengthAdjustment());
            }
            if (props.getInitialBytesToStrip() != null) {
                builder.initialBytesToStrip(props.getInitialBytesToStrip());
            }
            if (props.getMaxFrameSize() != null && type != FramingProperties.Type.FIXED) {
                builder.maxFrameSize(toInt(p + ".max-frame-size", props.getMaxFrameSize()));
            }
            if (props.getMaxSkip() != null) {
                builder.maxSkip(props.getMaxSkip().toBytes());
            }
            builder.errorPolicy(props.getOnTooLong());
            return builder.build();
        }
        catch (IllegalArgumentException ex) {
            String property = p + "." + propertyOf(ex.getMessage(), type);
            throw new AsyncIoConfigurationException(property, valueOf(property, props),
                    "is refused by the framing: " + ex.getMessage(), "Correct " + property + ".", ex);
        }
    }

    /** The property's types are named as the core's kinds, {@code none} aside. */
    private static Framing.Kind kind(FramingProperties.Type type) {
        return Framing.Kind.valueOf(type.name());
    }

    /** The keys that only one kind uses must not be set with another: a typo in the type would go unnoticed. */
    private static void checkApplies(String p, FramingProperties props) {
        FramingProperties.Type type = props.getType();
        boolean lengthPrefix = type == FramingProperties.Type.LENGTH_PREFIX;
        boolean header = lengthPrefix || type == FramingProperties.Type.ASCII_LENGTH;
        notFor(p, "delimiter", props.getDelimiter(), type == FramingProperties.Type.DELIMITER, type, "delimiter");
        notFor(p, "fixed-length", props.getFixedLength(), type == FramingProperties.Type.FIXED, type, "fixed");
        notFor(p, "ascii-digits", props.getAsciiDigits(), type == FramingProperties.Type.ASCII_LENGTH, type,
                "ascii-length");
        notFor(p, "length-field-length", props.getLengthFieldLength(), lengthPrefix, type, "length-prefix");
        notFor(p, "byte-order", props.getByteOrder(), lengthPrefix, type, "length-prefix");
        notFor(p, "length-includes-header", props.getLengthIncludesHeader(), header, type,
                "length-prefix or ascii-length");
        notFor(p, "length-field-offset", props.getLengthFieldOffset(), header, type, "length-prefix or ascii-length");
        notFor(p, "length-adjustment", props.getLengthAdjustment(), header, type, "length-prefix or ascii-length");
        notFor(p, "initial-bytes-to-strip", props.getInitialBytesToStrip(), header, type,
                "length-prefix or ascii-length");
        boolean framed = type != FramingProperties.Type.NONE;
        notFor(p, "max-frame-size", props.getMaxFrameSize(), framed && type != FramingProperties.Type.FIXED, type,
                "any type but none and fixed (a fixed frame's size is fixed-length)");
        notFor(p, "max-skip", props.getMaxSkip(), framed, type, "any type but none");
    }

    private static void notFor(String p, String key, @Nullable Object value, boolean applies,
            FramingProperties.Type type, String which) {
        if (value != null && !applies) {
            String name = type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            throw new AsyncIoConfigurationException(p + "." + key, value,
                    "does not apply to " + p + ".type=" + name + ": it is for " + which,
                    "Remove " + p + "." + key + ", or correct " + p + ".type.");
        }
    }

    /** Which property a message of the core's builder is about (each message starts with the option's name). */
    private static String propertyOf(@Nullable String message, FramingProperties.Type type) {
        String m = (message != null) ? message : "";
        if (m.startsWith("maxFrameSize")) {
            return (type == FramingProperties.Type.FIXED) ? "fixed-length" : "max-frame-size";
        }
        if (m.startsWith("maxSkip")) {
            return "max-skip";
        }
        if (m.startsWith("delimiter")) {
            return "delimiter";
        }
        if (m.startsWith("fixed length")) {
            return "fixed-length";
        }
        if (m.startsWith("lengthFieldLength")) {
            return (type == FramingProperties.Type.ASCII_LENGTH) ? "ascii-digits" : "length-field-length";
        }
        if (m.startsWith("lengthFieldOffset")) {
            return "length-field-offset";
        }
        if (m.startsWith("initialBytesToStrip")) {
            return "initial-bytes-to-strip";
        }
        if (m.startsWith("lengthAdjustment")) {
            return "length-adjustment";
        }
        return "type";
    }

    private static @Nullable Object valueOf(String property, FramingProperties props) {
        String key = property.substring(property.lastIndexOf('.') + 1);
        return switch (key) {
            case "max-frame-size" -> props.getMaxFrameSize();
            case "max-skip" -> props.getMaxSkip();
            case "delimiter" -> props.getDelimiter();
            case "fixed-length" -> props.getFixedLength();
            case "length-field-length" -> props.getLengthFieldLength();
            case "ascii-digits" -> props.getAsciiDigits();
            case "length-field-offset" -> props.getLengthFieldOffset();
            case "initial-bytes-to-strip" -> props.getInitialBytesToStrip();
            case "length-adjustment" -> props.getLengthAdjustment();
            default -> props.getType();
        };
    }

    private static int toInt(String property, DataSize size) {
        long bytes = size.toBytes();
        if (bytes < 1 || bytes > Framing.MAX_FRAME_SIZE_LIMIT) {
            throw new AsyncIoConfigurationException(property, size,
                    "is out of range: it must be 1B to " + Framing.MAX_FRAME_SIZE_LIMIT + "B",
                    "Set " + property + " to a size from 1B to " + Framing.MAX_FRAME_SIZE_LIMIT + "B.");
        }
        return (int) bytes;
    }

    /**
     * The delimiter's bytes: each character U+0000..U+00FF is one byte; the escapes {@code \r \n \t \0 \\ \xHH} are
     * resolved (a {@code .properties} file resolves {@code \r} and {@code \n} itself, YAML's double quotes too, so
     * either form works).
     */
    static byte[] delimiterBytes(String property, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw badDelimiter(property, text, "ends with a lone backslash");
                }
                char e = text.charAt(++i);
                switch (e) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '0' -> out.write(0);
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        if (i + 2 >= text.length()) {
                            throw badDelimiter(property, text, "has \\x without two hex digits");
                        }
                        int hi = Character.digit(text.charAt(i + 1), 16);
                        int lo = Character.digit(text.charAt(i + 2), 16);
                        if (hi < 0 || lo < 0) {
                            throw badDelimiter(property, text, "has \\x without two hex digits");
                        }
                        out.write(hi * 16 + lo);
                        i += 2;
                    }
                    default -> throw badDelimiter(property, text, "has an unknown escape \\" + e
                            + " (known: \\r \\n \\t \\0 \\\\ \\xHH)");
                }
            }
            else if (c > 0xFF) {
                throw badDelimiter(property, text, "has the character U+" + String.format("%04X", (int) c)
                        + ", which is not one byte (use \\xHH escapes for bytes)");
            }
            else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static AsyncIoConfigurationException badDelimiter(String property, String text, String reason) {
        return new AsyncIoConfigurationException(property, text, reason,
                "Write the delimiter as characters U+0000..U+00FF, with the escapes \\r \\n \\t \\0 \\\\ or \\xHH.");
    }
}
