package dev.asyncio.spring.autoconfigure;

import java.util.Map;

import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AOT rule's input: ahead-of-time processing writes the handle names known at build time, and one handle bean
 * per name, into the generated bean definitions — so that a run-time configuration with other names is told apart
 * ({@link ConfiguredHandles#checkSameHandlesAsBeans}) instead of binding handles nobody can inject.
 */
class AotGenerationTests {

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("async-io.handles.echo.port", "0");
        properties.put("async-io.handles.kv.port", "0");
        return properties;
    }

    @Test
    void generatedCodeKeepsTheBuildTimeHandleNamesAndOneBeanPerHandle() throws Exception {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("test", properties()));
            AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
            context.registerBean(AsyncIoAutoConfiguration.class);
            context.registerBean("echoFunction", EchoConnectionFunction.class);
            InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get("com.example", "AotTest")), files);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            generation.writeGeneratedContent();
            StringBuilder all = new StringBuilder();
            for (String path : files.getGeneratedFiles(Kind.SOURCE).keySet()) {
                all.append(files.getGeneratedFileContent(Kind.SOURCE, path)).append('\n');
            }
            assertThat(all.toString()).contains("addIndexedArgumentValue(0, \"echo,kv\")")
                .contains("registerBeanDefinition(\"echo\"")
                .contains("registerBeanDefinition(\"kv\"");
        }
    }

    @Test
    void generatedCodeHasOneBeanPerClientMadeByTheConfiguredClients() throws Exception {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            Map<String, Object> properties = properties();
            properties.put("async-io.clients.kv-upstream.address", "handle:kv");
            properties.put("async-io.clients.kv.address", "127.0.0.1:6379");
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
            AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
            context.registerBean(AsyncIoAutoConfiguration.class);
            context.registerBean("echoFunction", EchoConnectionFunction.class);
            InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get("com.example", "AotClientTest")), files);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            generation.writeGeneratedContent();
            StringBuilder all = new StringBuilder();
            for (String path : files.getGeneratedFiles(Kind.SOURCE).keySet()) {
                all.append(files.getGeneratedFileContent(Kind.SOURCE, path)).append('\n');
            }
            // The handle keeps its name; the client of the same name gets <name>Client.
            assertThat(all.toString()).contains("registerBeanDefinition(\"kv-upstream\"")
                .contains("registerBeanDefinition(\"kvClient\"")
                .contains("registerBeanDefinition(\"kv\"");
        }
    }
}
