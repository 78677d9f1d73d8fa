package dev.asyncio.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncio.bench.server.NettyEchoServer;
import dev.asyncio.bench.server.ServerOptions;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The Netty echo server echoes every byte, in order, on each of its transports (NIO, and where the kernel allows
 * them the native epoll and io_uring ones that {@code run.sh} compares against), pingpong and streaming.
 */
class NettyEchoServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void echoesOnEveryTransport(String mode) throws Exception {
        if (mode.equals("epoll")) {
            Assumptions.assumeTrue(Epoll.isAvailable(), () -> "no native epoll here: " + Epoll.unavailabilityCause());
        }
        if (mode.equals("io_uring")) {
            Assumptions.assumeTrue(IoUring.isAvailable(),
                    () -> "no io_uring here: " + IoUring.unavailabilityCause());
        }
        Channel server = NettyEchoServer.start(ServerOptions.parse(new String[] {"--port", "0", "--mode", mode}, "nio"));
        try {
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            for (String scenario : new String[] {"pingpong --conns 4", "stream --conns 2"}) {
                LoadOptions o = LoadOptions.parse((scenario + " --port " + port + " --warmup 0.05 --seconds 0.3")
                        .split(" "));
                Result r = o.mode().equals("stream") ? new StreamScenario(o).run() : new MessageScenario(o, false).run();
                assertThat(r.errors()).as(mode + " " + scenario + ": " + r.format()).isZero();
            }
        } finally {
            server.close().sync();
        }
    }

    @Test
    void anUnknownModeIsNamed() {
        assertThatThrownBy(() -> NettyEchoServer.start(ServerOptions.parse(new String[] {"--port", "0", "--mode", "kqueue"},
                "nio")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nio, epoll or io_uring");
    }
}
