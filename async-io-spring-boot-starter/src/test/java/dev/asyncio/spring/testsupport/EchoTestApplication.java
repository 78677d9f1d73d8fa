package dev.asyncio.spring.testsupport;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.test.EchoConnectionFunction;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The application of the two {@code @SpringBootTest} classes of this package: one echo connection function. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class EchoTestApplication {

    @Bean
    ConnectionFunction echoFunction() {
        return new EchoConnectionFunction();
    }
}
