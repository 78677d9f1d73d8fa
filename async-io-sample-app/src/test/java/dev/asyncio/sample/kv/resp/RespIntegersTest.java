package dev.asyncio.sample.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RespIntegersTest {

    @ParameterizedTest
    @CsvSource({"0,0", "1,1", "-1,-1", "123,123", "9223372036854775807,9223372036854775807",
            "-9223372036854775807,-9223372036854775807"})
    void parsesValidIntegers(String text, long expected) {
        assertThat(RespIntegers.parse(bytes(text))).isEqualTo(expected);
        assertThat(RespIntegers.isInteger(bytes(text))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", " 1", "1 ", "01", "-0", "1.0", "9223372036854775808", "abc",
            "99999999999999999999", "123456789012345678901"})
    void refusesWhatRedisRefuses(String text) {
        assertThat(RespIntegers.isInteger(bytes(text))).isFalse();
        assertThat(RespIntegers.parse(bytes(text))).isEqualTo(RespIntegers.INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-9223372036854775808"})
    void theSmallestLongIsAnInteger(String text) {
        assertThat(RespIntegers.isInteger(bytes(text))).isTrue();
        assertThat(RespIntegers.parse(bytes(text))).isEqualTo(Long.MIN_VALUE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
