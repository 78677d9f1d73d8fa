package dev.asyncio.spring.diagnostics;

import dev.asyncio.spring.AsyncIoConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports an {@link AsyncIoConfigurationException} at start-up: which property, which value, what is wrong and
 * what to do. It runs before {@link BindFailedFailureAnalyzer} because a configured handle that cannot bind carries
 * the property name, which a bare bind failure does not.
 */
public class AsyncIoConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AsyncIoConfigurationException>
        implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AsyncIoConfigurationException cause) {
        StringBuilder description = new StringBuilder();
        description.append("Invalid async-io configuration.\n\n");
        description.append("    Property: ").append(cause.getProperty()).append('\n');
        if (cause.getValue() != null) {
            description.append("    Value: \"").append(cause.getValue()).append("\"\n");
        }
        description.append("    Reason: ").append(cause.getProperty()).append(' ').append(cause.getReason());
        return new FailureAnalysis(description.toString(), cause.getAction(), cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
