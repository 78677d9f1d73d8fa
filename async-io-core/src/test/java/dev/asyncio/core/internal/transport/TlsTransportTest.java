package dev.asyncio.core.internal.transport;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsHandshakeTimeoutException;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.loop.DeadlineQueue;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.LoopOwner;
import dev.asyncio.core.internal.memory.BudgetCore;
import dev.asyncio.core.internal.memory.MemoryAccount;
import dev.asyncio.core.testing.TlsFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS as a decorator over an in-memory transport, with no socket and no selector: the handshake, data both ways, a
 * record that arrives one byte per read, the close_notify exchange of a detach with plain bytes after it, and the
 * handshake timeout. The test thread drives the loop (waitFor/callReady), so delegated tasks come back to it.
 */
class TlsTransportTest {

    /** Records what a handshake or detach asked for and how it ended. */
    private static final class Driver implements TlsTransport.Driver {
        boolean finished;
        Throwable failure;
        IoStatus status;

        @Override
        public void wantRead(boolean on) {
        }

        @Override
        public void wantWrite(boolean on) {
        }

        @Override
        public void finished(Throwable failure, IoStatus status) {
            this.finished = true;
            this.failure = failure;
            this.status = status;
        }
    }

    private final EventLoop loop = new EventLoop("tls-test", System::nanoTime, new LoopOwner() {
        @Override
        public void closeAll() {
        }

        @Override
        public void taskFailed(Throwable failure) {
            throw new AssertionError(failure);
        }
    });
    private final MemoryTransport[] pipe = MemoryTransport.pair();
    private final BudgetCore budget = new BudgetCore("tls-test", 1 << 30, 1 << 30);
    private final MemoryAccount account = new MemoryAccount(budget);
    private TlsTransport client;
    private TlsTransport server;

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private void open() throws Exception {
        SSLEngine c = TlsFixtures.trustingClient().createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        SSLEngine s = TlsFixtures.server().createSSLEngine();
        s.setUseClientMode(false);
        client = new TlsTransport(c, TlsSide.CLIENT, pipe[0], loop, "client", () -> { }, () -> { }, account);
        server = new TlsTransport(s, TlsSide.SERVER, pipe[1], loop, "server", () -> { }, () -> { },
                MemoryAccount.NONE);
    }

    /** Steps both ends and serves the loop until {@code done}, for at most 10 s. */
    private void pump(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("pump timed out").isNegative();
            client.step();
            server.step();
            // A short timer bounds the select, so delegated tasks and timeouts are picked up promptly.
            loop.deadlines().schedule(new DeadlineQueue.Entry() {
                @Override
                protected void expired(long now) {
                }
            }, System.nanoTime() + Duration.ofMillis(5).toNanos());
            loop.waitFor();
            loop.callReady();
        }
    }

    private void handshake() throws Exception {
        open();
        Driver dc = new Driver();
        Driver ds = new Driver();
        client.startHandshake(dc, Duration.ofSeconds(10));
        server.startHandshake(ds, Duration.ofSeconds(10));
        pump(() -> dc.finished && ds.finished);
        assertThat(dc.failure).isNull();
        assertThat(ds.failure).isNull();
        assertThat(client.isBusy()).isFalse();
        assertThat(server.isBusy()).isFalse();
    }

    private static String readAll(TlsTransport t, int expected) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(expected + 1024);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (dst.position() < expected) {
            assertThat(System.nanoTime() - deadline).as("read timed out").isNegative();
            assertThat(t.read(dst)).isNotNegative();
        }
        return new String(dst.array(), 0, dst.position(), StandardCharsets.UTF_8);
    }

    @Test
    void handshakeThenDataBothWays() throws Exception {
        handshake();
        assertThat(client.sslEngine().getSession().getProtocol()).startsWith("TLS");

        int n = client.write(ByteBuffer.wrap("hello over memory".getBytes(StandardCharsets.UTF_8)));
        assertThat(n).isEqualTo(17);
        assertThat(client.hasPendingOutput()).isFalse();
        assertThat(readAll(server, 17)).isEqualTo("hello over memory");

        server.write(ByteBuffer.wrap("and back".getBytes(StandardCharsets.UTF_8)));
        assertThat(readAll(client, 8)).isEqualTo("and back");
        assertThat(server.tlsSide()).isEqualTo(TlsSide.SERVER);
        assertThat(server.shutdownOnLoop()).isTrue();
    }

    @Test
    void aRecordArrivingOneByteAtATimeIsReassembled() throws Exception {
        handshake();
        byte[] big = new byte[20_000];
        Arrays.fill(big, (byte) 'z');
        ByteBuffer src = ByteBuffer.wrap(big);
        while (src.hasRemaining()) {
            client.write(src);
        }
        pipe[1].maxChunk = 1;
        int readsBefore = pipe[1].reads;

        assertThat(readAll(server, big.length)).isEqualTo(new String(big, StandardCharsets.UTF_8));
        assertThat(pipe[1].reads - readsBefore).as("one byte per read").isGreaterThan(big.length);
    }

    @Test
    void detachExchangesCloseNotifyAndKeepsThePlainBytesThatFollow() throws Exception {
        handshake();
        Driver dc = new Driver();
        client.startDetach(dc, Duration.ofSeconds(10));
        // The server sees the client's close_notify as the end of TLS input, then answers with its own.
        ByteBuffer dst = ByteBuffer.allocate(1024);
        assertThat(server.read(dst)).isEqualTo(-1);
        Driver ds = new Driver();
        server.startDetach(ds, Duration.ofSeconds(10));
        // Plain bytes right behind the server's close_notify, in the same read as it.
        pipe[1].write(ByteBuffer.wrap("PLAIN".getBytes(StandardCharsets.US_ASCII)));
        pump(() -> dc.finished && ds.finished);

        assertThat(dc.failure).isNull();
        assertThat(dc.status).isEqualTo(IoStatus.OK);
        assertThat(client.sslEngine().isOutboundDone()).isTrue();
        assertThat(client.sslEngine().isInboundDone()).isTrue();
        String rest = new String(client.takeLeftovers(), StandardCharsets.US_ASCII) + drain(pipe[0]);
        assertThat(rest).isEqualTo("PLAIN");
    }

    @Test
    void aHandshakeThePeerNeverAnswersTimesOut() throws Exception {
        open();
        Driver dc = new Driver();
        client.startHandshake(dc, Duration.ofMillis(100));
        pump(() -> dc.finished);

        assertThat(dc.status).isEqualTo(IoStatus.TIMEOUT);
        assertThat(dc.failure).isInstanceOf(TlsHandshakeTimeoutException.class).hasMessageContaining("client");
        assertThat(pipe[1].available()).as("the ClientHello went out").isPositive();
    }

    @Test
    void closeSendsCloseNotifyWhichThePeerReadsAsEof() throws Exception {
        handshake();
        client.close();
        ByteBuffer dst = ByteBuffer.allocate(1024);
        assertThat(server.read(dst)).isEqualTo(-1);
        assertThat(server.hasDecrypted()).as("the peer's close waits to be seen").isTrue();
    }

    @Test
    void theEngineAndItsBuffersAreChargedAndGivenBackAtDispose() throws Exception {
        handshake();
        long charged = account.held();
        assertThat(charged).as("engine estimate plus netIn, netOut, appIn")
                .isGreaterThan(MemoryAccount.TLS_ENGINE_BYTES + 3L * 16 * 1024);
        assertThat(budget.used()).isEqualTo(charged);
        client.dispose();
        client.dispose();
        assertThat(account.held()).isZero();
        assertThat(budget.used()).isZero();
    }

    private static String drain(MemoryTransport t) {
        ByteBuffer b = ByteBuffer.allocate(1024);
        t.read(b);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }
}
