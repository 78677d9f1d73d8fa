package dev.asyncio.spring.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.asyncio.core.client.ClientAddress;
import dev.asyncio.core.client.ClientOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A {@code handle:NAME} address is resolved when the client is made and again before every connect attempt, so a
 * handle bound again on another port (port 0) is found.
 */
class ClientOptionsMapperTests {

    @Test
    void aHandleAddressIsResolvedAgainBeforeEveryAttempt() {
        ClientProperties props = new ClientProperties();
        props.setAddresses(List.of("handle:kv", "10.0.0.5:6379"));
        ClientSettings settings = ClientSettings.of("up", props, Set.of("default"), Set.of("kv"), null);
        AtomicReference<ClientAddress> kv = new AtomicReference<>(ClientAddress.tcp("127.0.0.1", 41000));
        Function<String, ClientAddress> handles = (name) -> {
            ClientAddress bound = kv.get();
            if (bound == null) {
                throw new IllegalStateException("its address handle:" + name + " names a handle that is not bound");
            }
            return bound;
        };
        ClientOptions options = ClientOptionsMapper.options(settings, handles, List.of());
        ClientAddress atStart = ClientAddress.tcp("127.0.0.1", 41000);
        ClientAddress fixed = ClientAddress.tcp("10.0.0.5", 6379);
        assertThat(options.addresses()).containsExactly(atStart, fixed);
        assertThat(options.addressResolver()).isNotNull();

        kv.set(ClientAddress.tcp("127.0.0.1", 42000));   // the handle was bound again elsewhere
        assertThat(options.addressResolver().apply(atStart)).isEqualTo(ClientAddress.tcp("127.0.0.1", 42000));
        assertThat(options.addressResolver().apply(fixed)).isSameAs(fixed);

        kv.set(null);                                     // not bound now: that attempt fails, naming it
        assertThatIllegalStateException().isThrownBy(() -> options.addressResolver().apply(atStart))
            .withMessageContaining("handle:kv");
    }

    @Test
    void aClientWithoutHandleAddressesHasNoResolver() {
        ClientProperties props = new ClientProperties();
        props.setAddress("127.0.0.1:6379");
        ClientSettings settings = ClientSettings.of("up", props, Set.of("default"), Set.of(), null);
        assertThat(ClientOptionsMapper.options(settings, (name) -> {
            throw new AssertionError(name);
        }, List.of()).addressResolver()).isNull();
    }
}
