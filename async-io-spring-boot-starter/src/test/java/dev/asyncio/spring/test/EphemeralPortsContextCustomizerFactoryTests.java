package dev.asyncio.spring.test;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/** When {@link EphemeralPortsContextCustomizerFactory} turns ephemeral ports on, and what overrides it. */
class EphemeralPortsContextCustomizerFactoryTests {

    private final EphemeralPortsContextCustomizerFactory factory = new EphemeralPortsContextCustomizerFactory();

    @Test
    void aSpringBootTestWithAMockEnvironmentGetsEphemeralPorts() {
        assertThat(ephemeralPorts(MockTest.class, Map.of())).isEqualTo("true");
    }

    @Test
    void aTestWithoutSpringBootTestGetsEphemeralPortsToo() {
        assertThat(ephemeralPorts(PlainTest.class, Map.of())).isEqualTo("true");
    }

    @Test
    void aDefinedPortTestKeepsTheConfiguredPorts() {
        assertThat(this.factory.createContextCustomizer(DefinedPortTest.class, List.of())).isNull();
    }

    @Test
    void anExplicitValueAnywhereWins() {
        assertThat(ephemeralPorts(MockTest.class, Map.of("async-io.ephemeral-ports", "false"))).isEqualTo("false");
    }

    @Test
    void customizersAreEqualSoTheContextCacheIsNotSplit() {
        assertThat(this.factory.createContextCustomizer(MockTest.class, List.of()))
            .isEqualTo(this.factory.createContextCustomizer(PlainTest.class, List.of()))
            .hasSameHashCodeAs(this.factory.createContextCustomizer(PlainTest.class, List.of()));
    }

    private String ephemeralPorts(Class<?> testClass, Map<String, Object> applicationProperties) {
        ContextCustomizer customizer = this.factory.createContextCustomizer(testClass, List.of());
        assertThat(customizer).isNotNull();
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("application", applicationProperties));
            customizer.customizeContext(context, null);
            return context.getEnvironment().getProperty("async-io.ephemeral-ports");
        }
    }

    @SpringBootTest
    static class MockTest {

    }

    @SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
    static class DefinedPortTest {

    }

    static class PlainTest {

    }
}
