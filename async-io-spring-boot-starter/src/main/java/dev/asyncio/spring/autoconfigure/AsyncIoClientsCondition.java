package dev.asyncio.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one enabled client is configured under {@code async-io.clients.*}: the clients' health
 * contributor and meters exist only then. Read from the property names, as the client beans are.
 */
public final class AsyncIoClientsCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var names = ClientBeanRegistrar.enabledClientNames(context.getEnvironment());
        return names.isEmpty() ? ConditionOutcome.noMatch("no async-io.clients.* configured")
                : ConditionOutcome.match("async-io clients " + names);
    }
}
