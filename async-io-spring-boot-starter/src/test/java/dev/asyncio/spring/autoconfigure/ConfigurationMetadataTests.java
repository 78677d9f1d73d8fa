package dev.asyncio.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the starter ships (META-INF/spring-configuration-metadata.json, the processor's output
 * merged with additional-spring-configuration-metadata.json) describes every key of a handle and a collection —
 * which Spring Boot's processor does not expand for map values — so that IDEs complete and document them. A
 * property added to {@link AsyncIoProperties.Handle} without its metadata entry fails here, naming the entry.
 */
class ConfigurationMetadataTests {

    @Test
    void everyHandleAndCollectionKeyHasADescribedEntry() throws IOException {
        String metadata = shipped();
        List<String> expected = new ArrayList<>();
        expected.addAll(keys("async-io.handles.*", AsyncIoProperties.Handle.class));
        expected.addAll(keys("async-io.handles.*.tls", AsyncIoProperties.Tls.class));
        expected.addAll(keys("async-io.handles.*.framing", FramingProperties.class));
        expected.addAll(keys("async-io.collections.*", AsyncIoProperties.Collection.class));
        assertThat(expected).contains("async-io.handles.*.port", "async-io.handles.*.tls.bundle",
                "async-io.handles.*.framing.max-frame-size", "async-io.handles.*.framing.length-field-length",
                "async-io.collections.*.callback-error-policy");
        for (String key : expected) {
            assertThat(metadata).as("metadata entry \"%s\" in additional-spring-configuration-metadata.json", key)
                .contains("\"name\" : \"" + key + "\"");
        }
    }

    @Test
    void everyClientKeyHasADescribedEntry() throws IOException {
        String metadata = shipped();
        List<String> expected = new ArrayList<>();
        expected.addAll(keys("async-io.clients.*", ClientProperties.class));
        expected.addAll(keys("async-io.clients.*.reconnect", ClientProperties.Reconnect.class));
        expected.addAll(keys("async-io.clients.*.pool", ClientProperties.Pool.class));
        expected.addAll(keys("async-io.clients.*.tls", ClientProperties.Tls.class));
        expected.addAll(keys("async-io.clients.*.framing", FramingProperties.class));
        assertThat(expected).contains("async-io.clients.*.address", "async-io.clients.*.addresses",
                "async-io.clients.*.reconnect.jitter", "async-io.clients.*.pool.max-pending-acquires",
                "async-io.clients.*.tls.bundle", "async-io.clients.*.framing.type");
        for (String key : expected) {
            assertThat(metadata).as("metadata entry \"%s\" in additional-spring-configuration-metadata.json", key)
                .contains("\"name\" : \"" + key + "\"");
        }
        assertThat(metadata).contains("\"value\" : \"per-use\"").contains("\"defaultValue\" : \"100ms\"");
    }

    @Test
    void defaultsAndHintsAreShipped() throws IOException {
        String metadata = shipped();
        assertThat(metadata).contains("\"name\" : \"async-io.enabled\"")
            .contains("\"name\" : \"async-io.handles.*.connection-function\"")
            .contains("\"name\" : \"spring-bean-reference\"")
            .contains("\"target\" : \"dev.asyncio.core.ConnectionFunction\"")
            .contains("\"name\" : \"async-io.handles.*.tls.bundle\"")
            .contains("\"name\" : \"async-io.handles.*.ipv6\"")
            .contains("\"name\" : \"async-io.handles.*.framing.type\"")
            .contains("\"value\" : \"length-prefix\"")
            .contains("\"value\" : \"close-state\"")
            .contains("\"defaultValue\" : \"60s\"")
            .contains("\"defaultValue\" : 0.5");
    }

    private static String shipped() throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class
            .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the processor's output in the starter's jar").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\"\\s*:\\s*", "\" : ");
        }
    }

    /** @return the keys binding reads under {@code prefix} from {@code type}: its properties with a setter */
    private static List<String> keys(String prefix, Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getWriteMethod() != null) {
                keys.add(prefix + "." + DataObjectPropertyName.toDashedForm(descriptor.getName()));
            }
        }
        return keys;
    }
}
