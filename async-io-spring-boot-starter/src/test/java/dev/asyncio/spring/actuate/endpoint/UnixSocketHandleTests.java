package dev.asyncio.spring.actuate.endpoint;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code async-io.handles.<name>.unix-socket-path}: binding, validation, the endpoint's view, the file's removal. */
class UnixSocketHandleTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.connection-function=echoFunction",
                "async-io.handles.echo.queue-output=true");

    @Test
    void aHandleListensOnTheUnixSocketPathAndTheEndpointShowsIt() {
        Path path = this.dir.resolve("echo.sock");
        this.runner.withPropertyValues("async-io.handles.echo.unix-socket-path=" + path).run((context) -> {
            ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
            assertThat(handle.isOpen()).isTrue();
            assertThat(handle.unixSocketPath()).isEqualTo(path);
            assertThat(handle.localPort()).isEqualTo(-1);
            assertThat(echo(path, "over a unix socket")).isEqualTo("over a unix socket");
            AsyncIoEndpoint.HandleDescriptor descriptor = AsyncIoEndpoint.describe(handle);
            assertThat(descriptor.unixSocketPath()).isEqualTo(path.toString());
            assertThat(descriptor.port()).isEqualTo(-1);
        });
        assertThat(Files.exists(path)).as("the socket file is removed when the handle closes").isFalse();
    }

    @Test
    void aUnixSocketPathWithAPortFailsNamingTheProperty() {
        this.runner
            .withPropertyValues("async-io.handles.echo.unix-socket-path=" + this.dir.resolve("x.sock"),
                    "async-io.handles.echo.port=0")
            .run((context) -> {
                assertThat(context).hasFailed();
                AsyncIoConfigurationException ex = find(context.getStartupFailure());
                assertThat(ex.getProperty()).isEqualTo("async-io.handles.echo.unix-socket-path");
                assertThat(ex.getReason()).contains("set together with async-io.handles.echo.port");
            });
    }

    @Test
    void aBlankPathFailsNamingTheProperty() {
        this.runner.withPropertyValues("async-io.handles.echo.unix-socket-path= ").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(find(context.getStartupFailure()).getProperty())
                .isEqualTo("async-io.handles.echo.unix-socket-path");
        });
    }

    @Test
    void aLiveSocketAtThePathFailsStartUpNamingTheProperty() {
        Path path = this.dir.resolve("busy.sock");
        this.runner.withPropertyValues("async-io.handles.echo.unix-socket-path=" + path).run((first) -> {
            assertThat(first).hasNotFailed();
            this.runner.withPropertyValues("async-io.handles.echo.unix-socket-path=" + path).run((second) -> {
                assertThat(second).hasFailed();
                AsyncIoConfigurationException ex = find(second.getStartupFailure());
                assertThat(ex.getProperty()).isEqualTo("async-io.handles.echo.unix-socket-path");
                assertThat(ex.getReason()).contains("could not be bound");
            });
        });
    }

    @Test
    void aTcpOnlyOptionWithAUnixSocketPathFailsNamingBoth() {
        for (String option : new String[] { "reuse-port=true", "ipv6=ipv4", "nodelay=true", "keepalive=true",
                "init-timeout=5s" }) {
            String name = option.substring(0, option.indexOf('='));
            this.runner
                .withPropertyValues("async-io.handles.echo.unix-socket-path=" + this.dir.resolve("t.sock"),
                        "async-io.handles.echo." + option)
                .run((context) -> {
                    assertThat(context).as(option).hasFailed();
                    AsyncIoConfigurationException ex = find(context.getStartupFailure());
                    assertThat(ex.getProperty()).isEqualTo("async-io.handles.echo.unix-socket-path");
                    assertThat(ex.getReason()).contains("set together with async-io.handles.echo." + name)
                        .contains("only applies to TCP");
                });
        }
        assertThat(Files.exists(this.dir.resolve("t.sock"))).as("nothing was bound").isFalse();
    }

    @Test
    void aPathLongerThanTheSystemAllowsFailsAtValidation() {
        Path path = this.dir.resolve("x".repeat(120));
        this.runner.withPropertyValues("async-io.handles.echo.unix-socket-path=" + path).run((context) -> {
            assertThat(context).hasFailed();
            AsyncIoConfigurationException ex = find(context.getStartupFailure());
            assertThat(ex.getProperty()).isEqualTo("async-io.handles.echo.unix-socket-path");
            assertThat(ex.getReason()).contains("bytes long").doesNotContain("could not be bound");
            assertThat(ex.getAction()).contains("shorter path");
        });
    }

    @Test
    void theAdviceFitsWhyTheBindFailed() throws IOException {
        Path missingDir = this.dir.resolve("no-such-dir").resolve("echo.sock");
        assertThat(bindFailure(missingDir).getAction()).contains("Create the directory " + missingDir.getParent())
            .doesNotContain("Stop the server");
        Path ordinary = Files.writeString(this.dir.resolve("data.txt"), "keep me");
        assertThat(bindFailure(ordinary).getAction()).contains("not a socket file").doesNotContain("Stop the server");
        assertThat(Files.readString(ordinary)).isEqualTo("keep me");
        Path live = this.dir.resolve("live.sock");
        this.runner.withPropertyValues("async-io.handles.echo.unix-socket-path=" + live)
            .run((first) -> assertThat(bindFailure(live).getAction()).contains("Stop the server that listens on it"));
    }

    private AsyncIoConfigurationException bindFailure(Path path) {
        AsyncIoConfigurationException[] failure = new AsyncIoConfigurationException[1];
        this.runner.withPropertyValues("async-io.handles.echo.unix-socket-path=" + path).run((context) -> {
            assertThat(context).hasFailed();
            failure[0] = find(context.getStartupFailure());
            assertThat(failure[0].getProperty()).isEqualTo("async-io.handles.echo.unix-socket-path");
            assertThat(failure[0].getReason()).contains("could not be bound");
        });
        return failure[0];
    }

    private static String echo(Path path, String text) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            ch.write(ByteBuffer.wrap(bytes));
            ByteBuffer back = ByteBuffer.allocate(bytes.length);
            while (back.hasRemaining() && ch.read(back) >= 0) {
                // Blocking reads until the echo is complete.
            }
            return new String(back.array(), 0, back.position(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static AsyncIoConfigurationException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AsyncIoConfigurationException ex) {
                return ex;
            }
        }
        throw new AssertionError("no AsyncIoConfigurationException in", failure);
    }
}
