package dev.asyncio.sample.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import dev.asyncio.sample.SampleApplication;
import dev.asyncio.sample.testing.RespClient;
import dev.asyncio.spring.AsyncIoRegistry;

/**
 * Redis' protected mode for kv: loopback only without a password unless an address is set on purpose; with a
 * password it binds as configured and clients must {@code AUTH}.
 */
class KvProtectedModeTest {

    private static MockEnvironment kvDefined() {
        return new MockEnvironment().withProperty("async-io.handles.kv.port", "6380");
    }

    private static String addressAfterPostProcessing(MockEnvironment environment) {
        new KvProtectedMode().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty("async-io.handles.kv.address");
    }

    @Test
    void withoutPasswordOrAddressKvBindsToLoopback() {
        assertThat(addressAfterPostProcessing(kvDefined())).isEqualTo("127.0.0.1");
    }

    @Test
    void anEmptyPasswordIsNoPassword() {
        assertThat(addressAfterPostProcessing(kvDefined().withProperty("sample.kv.password", "")))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void aPasswordLeavesTheAddressAsConfigured() {
        assertThat(addressAfterPostProcessing(kvDefined().withProperty("sample.kv.password", "secret"))).isNull();
        assertThat(addressAfterPostProcessing(kvDefined().withProperty("sample.kv.password", "secret")
                .withProperty("async-io.handles.kv.address", "0.0.0.0"))).isEqualTo("0.0.0.0");
    }

    @Test
    void anExplicitAddressWinsWithoutPassword() {
        assertThat(addressAfterPostProcessing(kvDefined().withProperty("async-io.handles.kv.address", "0.0.0.0")))
                .isEqualTo("0.0.0.0");
    }

    @Test
    void nothingIsAddedWhenThereIsNoKvHandle() {
        assertThat(addressAfterPostProcessing(new MockEnvironment())).isNull();
    }

    /** The whole application, as deployed: the post-processor is found through {@code spring.factories}. */
    @Test
    void theApplicationWithoutPasswordIsNotReachableOnANonLoopbackAddress() throws Exception {
        Optional<InetAddress> external = nonLoopbackIpv4();
        try (ConfigurableApplicationContext app = start()) {
            AsyncIoRegistry registry = app.getBean(AsyncIoRegistry.class);
            int port = registry.handle("kv").localPort();
            assertThat(registry.handle("kv").localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            try (RespClient local = new RespClient(port)) {
                assertThat(local.call("PING")).isEqualTo("PONG");
            }
            assumeTrue(external.isPresent(), "skipped the remote connection: this machine has no non-loopback "
                    + "IPv4 address (the binding to 127.0.0.1 was checked)");
            assertThrows(IOException.class, () -> new RespClient(external.get().getHostAddress(), port).close(),
                    "kv must not accept on " + external.get());
        }
    }

    @Test
    void theApplicationWithAPasswordBindsAsConfiguredAndRequiresAuth() throws Exception {
        Optional<InetAddress> external = nonLoopbackIpv4();
        try (ConfigurableApplicationContext app = start("--sample.kv.password=s3cret")) {
            AsyncIoRegistry registry = app.getBean(AsyncIoRegistry.class);
            int port = registry.handle("kv").localPort();
            assertThat(registry.handle("kv").localAddress().getAddress().isAnyLocalAddress())
                    .as("no address configured: all interfaces").isTrue();
            String host = external.map(InetAddress::getHostAddress).orElse("127.0.0.1");
            try (RespClient c = new RespClient(host, port)) {
                assertThat(c.call("GET", "k")).isEqualTo(new RespClient.Error("NOAUTH Authentication required."));
                assertThat(c.call("AUTH", "wrong")).isEqualTo(new RespClient.Error(
                        "WRONGPASS invalid username-password pair or user is disabled."));
                assertThat(c.call("AUTH", "s3cret")).isEqualTo("OK");
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
        }
    }

    private static ConfigurableApplicationContext start(String... more) {
        String[] base = {"--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
            "--async-io.handles.echo.port=0", "--async-io.handles.echo.address=127.0.0.1",
            "--async-io.handles.tls-echo.port=0", "--async-io.handles.tls-echo.address=127.0.0.1",
            "--async-io.handles.kv.port=0", "--sample.udp-echo.enabled=false",
            "--spring.security.user.password=test"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return SpringApplication.run(SampleApplication.class, args);
    }

    private static Optional<InetAddress> nonLoopbackIpv4() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
