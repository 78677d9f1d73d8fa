package dev.asyncio.bench.framed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The framed servers' command line: defaults, and errors that name the option. */
class FramedOptionsTest {

    @Test
    void defaultsAndTransports() {
        assertThat(FramedOptions.parse(new String[] {"--port", "7002"}, true))
                .isEqualTo(new FramedOptions("127.0.0.1", 7002, "nio"));
        assertThat(FramedOptions.parse(new String[] {"--port", "0", "--transport", "io_uring", "--address", "::1"},
                true)).isEqualTo(new FramedOptions("::1", 0, "io_uring"));
    }

    @Test
    void badInputNamesTheOption() {
        assertThatThrownBy(() -> FramedOptions.parse(new String[] {}, true)).hasMessageContaining("--port is required");
        assertThatThrownBy(() -> FramedOptions.parse(new String[] {"--port", "x"}, true))
                .hasMessageContaining("--port must be a number");
        assertThatThrownBy(() -> FramedOptions.parse(new String[] {"--port", "1", "--transport", "kqueue"}, true))
                .hasMessageContaining("--transport must be one of");
        assertThatThrownBy(() -> FramedOptions.parse(new String[] {"--port", "1", "--transport", "epoll"}, false))
                .hasMessageContaining("--transport").hasMessageContaining("Netty");
        assertThatThrownBy(() -> FramedOptions.parse(new String[] {"--port"}, true))
                .hasMessageContaining("--option value pairs");
    }
}
