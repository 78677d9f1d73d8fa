package dev.asyncio.core.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.ip.tcp.inbound.TcpInboundGateway;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;
import org.springframework.integration.ip.tcp.serializer.TcpCodecs;
import org.springframework.messaging.MessageChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.messaging.support.MessageBuilder;

/**
 * A Spring Integration IP 7.x server: a {@code TcpNetServerConnectionFactory} (CRLF frames, a thread per connection)
 * behind a {@code TcpInboundGateway} (7.x package {@code tcp.inbound}) whose request channel answers {@code "<name>:" + request}. It can be stopped
 * and started again on the same port.
 */
final class SpringIntegrationServer implements AutoCloseable {
    private final String name;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile TcpNetServerConnectionFactory factory;
    private volatile TcpInboundGateway gateway;
    private volatile int port;
    /** What Spring Integration looks up by name ({@code taskScheduler}), as an application context would hold it. */
    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

    SpringIntegrationServer(String name) {
        this.name = name;
        scheduler.setThreadNamePrefix("si-" + name + "-");
        scheduler.initialize();
        beans.registerSingleton("taskScheduler", scheduler);
        start(0);
    }

    private void start(int onPort) {
        TcpNetServerConnectionFactory f = new TcpNetServerConnectionFactory(onPort);
        f.setSerializer(TcpCodecs.crlf());
        f.setDeserializer(TcpCodecs.crlf());
        f.setBeanFactory(beans);
        f.setApplicationEventPublisher(event -> { });
        DirectChannel requests = new DirectChannel();
        requests.subscribe(message -> {
            this.requests.incrementAndGet();
            String body = new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
            ((MessageChannel) message.getHeaders().getReplyChannel())
                    .send(MessageBuilder.withPayload((name + ":" + body).getBytes(StandardCharsets.UTF_8)).build());
        });
        TcpInboundGateway g = new TcpInboundGateway();
        g.setConnectionFactory(f);
        g.setRequestChannel(requests);
        g.setBeanFactory(beans);
        g.afterPropertiesSet();
        f.afterPropertiesSet();
        g.start();
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(f::isListening);
        this.factory = f;
        this.gateway = g;
        this.port = f.getPort();
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    int requests() {
        return requests.get();
    }

    /** Stops listening and closes every connection. */
    void stop() {
        gateway.stop();
        factory.stop();
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !factory.isListening());
    }

    /** Listens again on the same port. */
    void restart() {
        start(port);
    }

    @Override
    public void close() {
        gateway.stop();
        factory.stop();
        scheduler.shutdown();
    }
}
