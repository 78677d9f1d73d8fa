package dev.asyncio.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The async-io sample server: a TCP echo handle and a Redis-protocol key-value handle configured in
 * {@code application.yml} through the async-io starter, an actuator on the HTTP port with the {@code asyncio}
 * endpoint, and a dashboard at {@code /}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    /**
     * Starts the server.
     *
     * @param args Spring Boot arguments, e.g. {@code --async-io.handles.echo.port=0}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
