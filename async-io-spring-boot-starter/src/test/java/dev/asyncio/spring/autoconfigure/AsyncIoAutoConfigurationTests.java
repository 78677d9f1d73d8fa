package dev.asyncio.spring.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.diagnostics.AsyncIoConfigurationFailureAnalyzer;
import dev.asyncio.spring.lifecycle.AsyncIoGracefulShutdownLifecycle;
import dev.asyncio.spring.lifecycle.AsyncIoStartStopLifecycle;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions, properties, handle beans and start-up failures of {@link AsyncIoAutoConfiguration}. */
class AsyncIoAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class));

    private final ApplicationContextRunner echo = this.runner.withBean("echoFunction", ConnectionFunction.class,
            EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.connection-function=echoFunction", "async-io.handles.echo.queue-output=true");

    @Test
    void registryAndLifecyclesWithoutAnyHandle() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(AsyncIoRegistry.class);
            assertThat(context).hasSingleBean(AsyncIoStartStopLifecycle.class);
            assertThat(context).hasSingleBean(AsyncIoGracefulShutdownLifecycle.class);
            assertThat(context).doesNotHaveBean(ManagedAcceptingHandle.class);
            assertThat(context.getBean(AsyncIoRegistry.class).handles()).isEmpty();
        });
    }

    @Test
    void configuredHandleIsABeanNamedLikeTheHandleAndBoundOnStart() {
        this.echo.run((context) -> {
            assertThat(context).hasBean("echo");
            ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
            assertThat(handle.isOpen()).isTrue();
            assertThat(handle.localPort()).isPositive();
            assertThat(handle.collection().name()).isEqualTo("echo");
            assertThat(handle.collection().isAlive()).isTrue();
            try (EchoClient client = EchoClient.connect(handle.localPort())) {
                assertThat(client.echo("hello")).isEqualTo("hello");
            }
            assertThat(context.getBean(AsyncIoRegistry.class).handle("echo")).isSameAs(handle);
        });
    }

    @Test
    void propertiesReachTheCoreOptions() {
        this.echo
            .withPropertyValues("async-io.collections.io.callback-error-policy=close-state",
                    "async-io.handles.echo.collection=io", "async-io.handles.echo.backlog=7",
                    "async-io.handles.echo.max-connections=3", "async-io.handles.echo.read-timeout=5s",
                    "async-io.handles.echo.write-high-water-mark=16KB",
                    "async-io.handles.echo.write-low-water-mark=8KB", "async-io.handles.echo.ipv6=ipv4")
            .run((context) -> {
                ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
                AcceptingHandle core = handle.handle();
                assertThat(core).isNotNull();
                assertThat(core.name()).isEqualTo("echo");
                assertThat(core.options().backlog()).isEqualTo(7);
                assertThat(core.options().maxConnections()).isEqualTo(3);
                assertThat(core.options().ipFamily()).isEqualTo(dev.asyncio.core.IpFamily.IPV4);
                assertThat(core.options().stateOptions().readTimeout()).hasSeconds(5);
                assertThat(core.options().stateOptions().writeHighWaterMark()).isEqualTo(16 * 1024);
                assertThat(core.options().stateOptions().queueOutput()).isTrue();
                WaitStateCollection io = handle.collection();
                assertThat(io.name()).isEqualTo("io");
                assertThat(io.callbackErrorPolicy()).isSameAs(dev.asyncio.core.CallbackErrorPolicy.CLOSE_STATE);
            });
    }

    @Test
    void connectionFunctionDefaultsToTheBeanNamedLikeTheHandle() {
        this.runner.withBean("echo", ConnectionFunction.class, EchoConnectionFunction::new)
            .withBean("other", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.queue-output=true")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                // "echo" is the connection function, so the handle bean is "echoHandle".
                ManagedAcceptingHandle handle = context.getBean("echoHandle", ManagedAcceptingHandle.class);
                try (EchoClient client = EchoClient.connect(handle.localPort())) {
                    assertThat(client.echo("named")).isEqualTo("named");
                }
            });
    }

    @Test
    void connectionFunctionDefaultsToTheOnlyConnectionFunctionBean() {
        this.runner.withBean("whatever", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.queue-output=true")
            .run((context) -> assertThat(context.getBean("echo", ManagedAcceptingHandle.class).isOpen()).isTrue());
    }

    @Test
    void userRegistryBacksOffTheDefault() {
        this.runner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(AsyncIoRegistry.class);
            assertThat(context).hasBean("myRegistry");
        });
    }

    @Test
    void applicationHandleBeansAreAdoptedOnStart() {
        this.runner.withUserConfiguration(UserHandleConfiguration.class).run((context) -> {
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            ManagedAcceptingHandle adopted = registry.handle("mine");
            assertThat(adopted).isNotNull();
            assertThat(adopted.handle()).isSameAs(context.getBean(AcceptingHandle.class));
            assertThat(adopted.isReopenable()).as("an adopted handle knows its connection function").isTrue();
            assertThat(registry.collections()).extracting(WaitStateCollection::name).contains("mine-loop");
        });
    }

    @Test
    void handlesRegisteredInCodeBindOnStartAndReopen() {
        this.runner.withUserConfiguration(CodeHandleConfiguration.class).run((context) -> {
            ManagedAcceptingHandle coded = context.getBean("coded", ManagedAcceptingHandle.class);
            assertThat(context.getBean(AsyncIoRegistry.class).handle("coded")).isSameAs(coded);
            int port = coded.localPort();
            assertThat(port).isPositive();
            try (EchoClient client = EchoClient.connect(port)) {
                assertThat(client.echo("code")).isEqualTo("code");
            }
            assertThat(coded.close(dev.asyncio.spring.HandleCloseMode.KEEP, java.time.Duration.ZERO)).isTrue();
            assertThat(coded.status()).isEqualTo(ManagedAcceptingHandle.Status.CLOSED);
            assertThat(EchoClient.isRefused(port)).isTrue();
            coded.reopen();
            assertThat(coded.localPort()).isEqualTo(port);
            try (EchoClient client = EchoClient.connect(port)) {
                assertThat(client.echo("again")).isEqualTo("again");
            }
            org.awaitility.Awaitility.await()
                .untilAsserted(() -> assertThat(coded.statistics().accepted()).isEqualTo(2));
        });
    }

    @Test
    void failureAnalyzersAreRegistered() {
        java.util.List<org.springframework.boot.diagnostics.FailureAnalyzer> analyzers = org.springframework.core.io.support.SpringFactoriesLoader
            .forDefaultResourceLocation()
            .load(org.springframework.boot.diagnostics.FailureAnalyzer.class, null,
                    // Boot's own analyzers need constructor arguments this test does not supply: skip them.
                    (factoryType, implementationName, failure) -> {
                    });
        assertThat(analyzers).hasAtLeastOneElementOfType(AsyncIoConfigurationFailureAnalyzer.class)
            .hasAtLeastOneElementOfType(dev.asyncio.spring.diagnostics.BindFailedFailureAnalyzer.class);
        FailureAnalysis analysis = new dev.asyncio.spring.diagnostics.BindFailedFailureAnalyzer()
            .analyze(new IllegalStateException("start failed", new dev.asyncio.core.BindFailedException(
                    new java.net.InetSocketAddress("127.0.0.1", 7000), java.time.Duration.ofSeconds(1),
                    new java.net.BindException("Address already in use"))));
        assertThat(analysis.getDescription()).contains("port 7000");
        assertThat(analysis.getAction()).contains("async-io.handles.<name>.port");
    }

    @Test
    void stopClosesHandlesAndEndsTheLoopThreads() {
        ManagedAcceptingHandle[] handle = new ManagedAcceptingHandle[1];
        this.echo.run((context) -> handle[0] = context.getBean("echo", ManagedAcceptingHandle.class));
        assertThat(handle[0].status()).isEqualTo(ManagedAcceptingHandle.Status.STOPPED);
        assertThat(handle[0].collection().isClosed()).isTrue();
        assertThat(EchoClient.isRefused(handle[0].localPort())).isTrue();
    }

    @Test
    void portOutOfRangeFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.port=70000")
            .run((context) -> assertFailure(context, "async-io.handles.echo.port", "out of range"));
    }

    @Test
    void missingPortFailsNamingTheProperty() {
        this.runner.withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.echo.address=127.0.0.1")
            .run((context) -> assertFailure(context, "async-io.handles.echo.port", "is not set"));
    }

    @Test
    void negativeBacklogFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.backlog=-1")
            .run((context) -> assertFailure(context, "async-io.handles.echo.backlog", "must be positive"));
    }

    @Test
    void unknownCollectionFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.collection=nowhere")
            .run((context) -> assertFailure(context, "async-io.handles.echo.collection", "names no configured"));
    }

    @Test
    void lowWaterMarkAboveHighFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.write-low-water-mark=128KB")
            .run((context) -> assertFailure(context, "async-io.handles.echo.write-low-water-mark", "is above"));
    }

    @Test
    void tlsBundleWithoutSslBundlesFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.tls.bundle=server")
            .run((context) -> assertFailure(context, "async-io.handles.echo.tls.bundle", "no SslBundles bean"));
    }

    @Test
    void unknownTlsBundleFailsNamingTheProperty() {
        this.echo.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues("async-io.handles.echo.tls.bundle=nowhere")
            .run((context) -> assertFailure(context, "async-io.handles.echo.tls.bundle", "names no SSL bundle"));
    }

    @Test
    void tlsBundleServesTlsToAJdkClient() {
        this.echo.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues("async-io.handles.echo.tls.bundle=server",
                    "spring.ssl.bundle.jks.server.keystore.location=classpath:tls/server.p12",
                    "spring.ssl.bundle.jks.server.keystore.password=changeit",
                    "spring.ssl.bundle.jks.server.keystore.type=PKCS12",
                    "spring.ssl.bundle.jks.server.options.enabled-protocols=TLSv1.3")
            .run((context) -> {
                ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
                KeyStore trust = KeyStore.getInstance("PKCS12");
                try (InputStream in = getClass().getResourceAsStream("/tls/truststore.p12")) {
                    trust.load(in, "changeit".toCharArray());
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext client = SSLContext.getInstance("TLS");
                client.init(null, tmf.getTrustManagers(), null);
                try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket("localhost", handle.localPort())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("over tls\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] back = socket.getInputStream().readNBytes(9);
                    assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("over tls\n");
                    assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                }
            });
    }

    @Test
    void missingConnectionFunctionBeanFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.connection-function=nothing")
            .run((context) -> assertFailure(context, "async-io.handles.echo.connection-function", "names no bean"));
    }

    @Test
    void noConnectionFunctionAtAllFailsNamingTheProperty() {
        this.runner.withPropertyValues("async-io.handles.echo.port=0")
            .run((context) -> assertFailure(context, "async-io.handles.echo.connection-function", "is not set"));
    }

    @Test
    void connectionFunctionBeanOfTheWrongTypeFailsNamingTheProperty() {
        this.echo.withBean("notAFunction", String.class, () -> "text")
            .withPropertyValues("async-io.handles.echo.connection-function=notAFunction")
            .run((context) -> assertFailure(context, "async-io.handles.echo.connection-function",
                    "java.lang.String"));
    }

    @Test
    void connectionFunctionNamingAHandleBeanFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.other.port=0", "async-io.handles.echo.connection-function=other")
            .run((context) -> assertFailure(context, "async-io.handles.echo.connection-function",
                    ManagedAcceptingHandle.class.getName()));
    }

    @Test
    void unknownIpv6ValueFailsNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.ipv6=sometimes").run((context) -> {
            assertThat(context).hasFailed();
            BindException bind = findCause(context.getStartupFailure(), BindException.class);
            assertThat(bind).isNotNull();
            assertThat(bind.getProperty().getName().toString()).isEqualTo("async-io.handles.echo.ipv6");
        });
    }

    @Test
    void busyPortFailsAfterInitTimeoutNamingTheProperty() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.echo
                .withPropertyValues("async-io.handles.echo.port=" + busy.getLocalPort(),
                        "async-io.handles.echo.init-timeout=0s")
                .run((context) -> {
                    AsyncIoConfigurationException ex = assertFailure(context, "async-io.handles.echo.port",
                            "could not be bound");
                    assertThat(ex.getCause()).isInstanceOf(dev.asyncio.core.BindFailedException.class);
                });
        }
    }

    private static AsyncIoConfigurationException assertFailure(AssertableApplicationContext context, String property,
            String reason) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        AsyncIoConfigurationException ex = findCause(failure, AsyncIoConfigurationException.class);
        assertThat(ex).as("AsyncIoConfigurationException in %s", failure).isNotNull();
        assertThat(ex.getProperty()).isEqualTo(property);
        assertThat(ex.getMessage()).contains(property).contains(reason);
        FailureAnalysis analysis = new AsyncIoConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("Property: " + property);
        assertThat(analysis.getAction()).isNotBlank();
        return ex;
    }

    static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistryConfiguration {

        @Bean(destroyMethod = "stop")
        AsyncIoRegistry myRegistry() {
            return new AsyncIoRegistry(java.util.Map.of());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CodeHandleConfiguration {

        @Bean
        ManagedAcceptingHandle coded(AsyncIoRegistry registry) {
            return registry.register(new dev.asyncio.spring.HandleDefinition("coded", AsyncIoRegistry.DEFAULT_COLLECTION,
                    "0", new EchoConnectionFunction(),
                    dev.asyncio.core.AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build(), null));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHandleConfiguration {

        @Bean(destroyMethod = "close")
        WaitStateCollection mineLoop() {
            return WaitStateCollection.createAndRun("mine-loop");
        }

        @Bean
        AcceptingHandle mine(WaitStateCollection mineLoop) {
            return mineLoop.acceptTcpConnections("0", new EchoConnectionFunction(),
                    dev.asyncio.core.AcceptOptions.builder().handleName("mine").queueOutput(true).build());
        }
    }
}
