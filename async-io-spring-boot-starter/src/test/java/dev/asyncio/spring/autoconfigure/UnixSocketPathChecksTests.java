package dev.asyncio.spring.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.asyncio.spring.AsyncIoConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up rules of {@code unix-socket-path} that need no context: relative paths, the length limit. */
class UnixSocketPathChecksTests {

    private static final String PREFIX = "async-io.handles.echo";

    @Test
    void aRelativePathIsKeptRelative() {
        assertThat(HandlePropertyChecks.unixSocketPath(PREFIX, "run/echo.sock", null, null, List.of()))
            .isEqualTo(Path.of("run/echo.sock"));
    }

    @Test
    void thePathMayUseTheWholeLimitButNoMore() {
        String longest = "/" + "x".repeat(UnixPathLimit.MAX_BYTES - 1);
        assertThat(HandlePropertyChecks.unixSocketPath(PREFIX, longest, null, null, List.of())).hasToString(longest);
        assertThatThrownBy(() -> HandlePropertyChecks.unixSocketPath(PREFIX, longest + "x", null, null, List.of()))
            .isInstanceOf(AsyncIoConfigurationException.class)
            .hasMessageContaining(PREFIX + ".unix-socket-path")
            .hasMessageContaining((UnixPathLimit.MAX_BYTES + 1) + " bytes long");
    }

    @Test
    void everyTcpOnlyPropertySetIsNamed() {
        assertThatThrownBy(() -> HandlePropertyChecks.unixSocketPath(PREFIX, "/tmp/e.sock", null, null,
                List.of("reuse-port", "init-timeout")))
            .isInstanceOf(AsyncIoConfigurationException.class)
            .hasMessageContaining(PREFIX + ".reuse-port, " + PREFIX + ".init-timeout, which only apply to TCP");
    }

    @Test
    void bindingMarksTheTcpOnlyPropertiesSet() {
        AsyncIoProperties.Handle handle = new AsyncIoProperties.Handle();
        assertThat(handle.tcpOnlySet()).isEmpty();
        handle.setBacklog(5);
        handle.setReusePort(false);
        handle.setNodelay(true);
        assertThat(handle.tcpOnlySet()).containsExactly("reuse-port", "nodelay");
    }
}
