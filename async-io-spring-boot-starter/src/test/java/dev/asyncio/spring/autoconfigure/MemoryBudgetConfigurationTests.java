package dev.asyncio.spring.autoconfigure;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.diagnostics.AsyncIoConfigurationFailureAnalyzer;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code async-io.memory.*}: the one memory budget of every collection the starter creates. */
class MemoryBudgetConfigurationTests {

    private static final long MB = 1024 * 1024;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.handles.other.port=0",
                "async-io.handles.other.address=127.0.0.1", "async-io.handles.other.queue-output=true",
                "async-io.handles.other.connection-function=echoFunction",
                "async-io.handles.echo.connection-function=echoFunction");

    @Test
    void byDefaultTheProcessDefaultBudgetIsSharedByEveryCollection() {
        this.runner.run((context) -> {
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            assertThat(context.getBean(MemoryBudget.class)).isSameAs(MemoryBudget.processDefault());
            assertThat(registry.memoryBudget()).isSameAs(MemoryBudget.processDefault());
            assertThat(registry.collections()).isNotEmpty()
                .allSatisfy((c) -> assertThat(c.memoryBudget()).isSameAs(registry.memoryBudget()));
            long max = Runtime.getRuntime().maxMemory();
            assertThat(registry.memoryBudget().hardLimit()).isEqualTo((long) (max * 0.5));
        });
    }

    @Test
    void hardLimitAloneSetsTheSoftLimitAtEightyPercent() {
        this.runner.withPropertyValues("async-io.memory.hard-limit=64MB").run((context) -> {
            MemoryBudget budget = context.getBean(AsyncIoRegistry.class).memoryBudget();
            assertThat(budget).isNotSameAs(MemoryBudget.processDefault());
            assertThat(budget.name()).isEqualTo("async-io");
            assertThat(budget.hardLimit()).isEqualTo(64 * MB);
            assertThat(budget.softLimit()).isEqualTo((long) (64 * MB * 0.8));
            for (WaitStateCollection collection : context.getBean(AsyncIoRegistry.class).collections()) {
                assertThat(collection.memoryBudget()).isSameAs(budget);
            }
        });
    }

    @Test
    void softAndHardLimits() {
        this.runner.withPropertyValues("async-io.memory.hard-limit=64MB", "async-io.memory.soft-limit=16MB")
            .run((context) -> {
                MemoryBudget budget = context.getBean(MemoryBudget.class);
                assertThat(budget.hardLimit()).isEqualTo(64 * MB);
                assertThat(budget.softLimit()).isEqualTo(16 * MB);
            });
    }

    @Test
    void heapFractionSetsTheHardLimit() {
        this.runner.withPropertyValues("async-io.memory.heap-fraction=0.25").run((context) -> {
            MemoryBudget budget = context.getBean(MemoryBudget.class);
            long max = Runtime.getRuntime().maxMemory();
            assertThat(budget.hardLimit()).isEqualTo((long) (max * 0.25));
            assertThat(budget.softLimit()).isEqualTo((long) (budget.hardLimit() * 0.8));
        });
    }

    @Test
    void softLimitAloneKeepsTheDefaultHardLimit() {
        this.runner.withPropertyValues("async-io.memory.soft-limit=1MB").run((context) -> {
            MemoryBudget budget = context.getBean(MemoryBudget.class);
            assertThat(budget.hardLimit()).isEqualTo((long) (Runtime.getRuntime().maxMemory() * 0.5));
            assertThat(budget.softLimit()).isEqualTo(MB);
        });
    }

    @Test
    void anApplicationBudgetBeanReplacesTheConfiguredOne() {
        MemoryBudget mine = MemoryBudget.of("mine", MB, 2 * MB);
        this.runner.withBean("myBudget", MemoryBudget.class, () -> mine)
            .withPropertyValues("async-io.memory.hard-limit=64MB")
            .run((context) -> {
                assertThat(context.getBean(AsyncIoRegistry.class).memoryBudget()).isSameAs(mine);
                assertThat(context.getBean(AsyncIoRegistry.class).collections())
                    .allSatisfy((c) -> assertThat(c.memoryBudget()).isSameAs(mine));
            });
    }

    @Test
    void softAboveHardFailsNamingTheSoftLimit() {
        this.runner.withPropertyValues("async-io.memory.hard-limit=8MB", "async-io.memory.soft-limit=16MB")
            .run((context) -> assertFailure(context, "async-io.memory.soft-limit", "is above the hard limit"));
    }

    @Test
    void softAboveTheDerivedHardLimitFailsNamingTheSoftLimit() {
        this.runner.withPropertyValues("async-io.memory.heap-fraction=0.000001", "async-io.memory.soft-limit=1GB")
            .run((context) -> assertFailure(context, "async-io.memory.soft-limit", "heap-fraction"));
    }

    @Test
    void heapFractionOutOfRangeFailsNamingIt() {
        this.runner.withPropertyValues("async-io.memory.heap-fraction=0")
            .run((context) -> assertFailure(context, "async-io.memory.heap-fraction", "above 0 and at most 1"));
        this.runner.withPropertyValues("async-io.memory.heap-fraction=1.5")
            .run((context) -> assertFailure(context, "async-io.memory.heap-fraction", "above 0 and at most 1"));
        this.runner.withPropertyValues("async-io.memory.heap-fraction=1")
            .run((context) -> assertThat(context.getBean(MemoryBudget.class).hardLimit())
                .isEqualTo(Runtime.getRuntime().maxMemory()));
    }

    @Test
    void hardLimitAndHeapFractionTogetherFail() {
        this.runner.withPropertyValues("async-io.memory.hard-limit=8MB", "async-io.memory.heap-fraction=0.5")
            .run((context) -> assertFailure(context, "async-io.memory.heap-fraction", "cannot be combined"));
    }

    @Test
    void zeroLimitsFailNamingThem() {
        this.runner.withPropertyValues("async-io.memory.hard-limit=0B")
            .run((context) -> assertFailure(context, "async-io.memory.hard-limit", "must be positive"));
        this.runner.withPropertyValues("async-io.memory.soft-limit=0B")
            .run((context) -> assertFailure(context, "async-io.memory.soft-limit", "must be positive"));
    }

    @Test
    void memoryPropertiesAreKnownToTheUnknownPropertyCheck() {
        this.runner.withPropertyValues("async-io.fail-on-unknown-properties=true", "async-io.memory.hard-limit=64MB",
                "async-io.memory.soft-limit=32MB")
            .run((context) -> assertThat(context).hasNotFailed());
        this.runner.withPropertyValues("async-io.fail-on-unknown-properties=true", "async-io.memory.hard-limt=64MB")
            .run((context) -> assertFailure(context, "async-io.memory.hard-limt", "did you mean hard-limit"));
    }

    private static void assertFailure(AssertableApplicationContext context, String property, String reason) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        AsyncIoConfigurationException ex = AsyncIoAutoConfigurationTests.findCause(failure,
                AsyncIoConfigurationException.class);
        assertThat(ex).as("AsyncIoConfigurationException in %s", failure).isNotNull();
        assertThat(ex.getProperty()).isEqualTo(property);
        assertThat(ex.getMessage()).contains(property).contains(reason);
        FailureAnalysis analysis = new AsyncIoConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("Property: " + property);
    }
}
