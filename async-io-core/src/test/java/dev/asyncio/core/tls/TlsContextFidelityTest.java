package dev.asyncio.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import dev.asyncio.core.testing.TlsFixtures;

import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

/** Issue 13, smaller item: the {@link SSLContext} in use is exposed (LispWorks {@code async-io-state-ctx}). */
class TlsContextFidelityTest extends CollectionPerTest {

    TlsContextFidelityTest() {
        super("tls-ctx");
    }

    @Test
    void theContextInUseIsReportedWhileTlsIsAttachedAndNullOtherwise() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        assertThat(pair.server().tlsContext()).as("no TLS yet").isNull();

        SSLContext serverContext = TlsFixtures.server();
        SSLContext clientContext = TlsFixtures.trustingClient();
        var server = PlainPair.attach(pair.server(), TlsOptions.builder().context(serverContext).build());
        var client = PlainPair.attach(pair.client(), TlsOptions.builder().context(clientContext)
                .side(TlsSide.CLIENT).hostnameVerification(false).build());
        assertThat(server.get(PlainPair.WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(ConnectFutures.SUCCESS);
        assertThat(client.get(PlainPair.WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(ConnectFutures.SUCCESS);

        assertThat(pair.server().tlsContext()).isSameAs(serverContext);
        assertThat(pair.client().tlsContext()).isSameAs(clientContext);

        PlainPair.detach(pair.server());
        PlainPair.detach(pair.client()).get(PlainPair.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(pair.client().tlsContext()).as("detached").isNull();
    }

    @Test
    void withoutAContextTheJdkDefaultIsReported() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        // Side BOTH attaches without a handshake, so no certificate is needed to see which context it uses.
        var attached = PlainPair.attach(pair.server(), TlsOptions.builder().side(TlsSide.BOTH).build());
        assertThat(attached.get(PlainPair.WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(ConnectFutures.SUCCESS);
        assertThat(pair.server().tlsContext()).isSameAs(SSLContext.getDefault());
    }
}
