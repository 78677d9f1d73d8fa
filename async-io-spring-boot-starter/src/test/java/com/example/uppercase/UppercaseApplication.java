package com.example.uppercase;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A "fresh application" written from the starter's quick start alone (docs/starter.md and the README show it): a
 * line-framed uppercase server on a fixed port configured in {@code uppercase.yml}. Its two test classes have
 * different properties, so Spring's context cache holds two contexts at once: they pass only because handles bind
 * ephemeral ports under Spring's test framework.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class UppercaseApplication {

    public static void main(String[] args) {
        SpringApplication.run(UppercaseApplication.class, args);
    }

    /** Answers every line ("hello\n") with the line in upper case ("HELLO\n"); runs on the handle's loop thread. */
    @Bean
    ConnectionFunction uppercase() {
        return (handle, state) -> state.readWithChecking((s, buffer, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                s.closeGracefully(null, null);
                return;
            }
            int start = 0;
            for (int i = 0; i < end; i++) {
                if (buffer[i] == '\n') {
                    String line = new String(buffer, start, i + 1 - start, StandardCharsets.UTF_8);
                    s.writeBuffer(line.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8), null);
                    start = i + 1;
                }
            }
            s.discard(start);
        });
    }
}
