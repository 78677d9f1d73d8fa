package dev.asyncio.spring.diagnostics;

import dev.asyncio.spring.AsyncIoPortInUseException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports a configured handle whose port was in use as a port-in-use problem — which handle, which port, how long
 * it was retried and under which property — the way Spring Boot reports its web server's port. Runs before
 * {@link AsyncIoConfigurationFailureAnalyzer}, which would otherwise report it as a wrong value.
 */
public class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<AsyncIoPortInUseException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AsyncIoPortInUseException cause) {
        StringBuilder description = new StringBuilder();
        description.append("async-io handle '").append(cause.getHandleName()).append("' failed to start. Port ")
            .append(cause.getPort())
            .append(" was already in use");
        if (cause.getHolder() != null) {
            description.append(" by async-io handle '").append(cause.getHolder()).append("'");
        }
        description.append(".\n\n    Property: ").append(cause.getProperty()).append('\n');
        if (cause.isLiveListener()) {
            description.append("    Held by: a process that accepts connections on port ")
                .append(cause.getPort())
                .append(" (a live server; not waited for)\n");
        }
        if (cause.getHolder() == null) {
            description.append("    Retried for: ")
                .append(cause.getRetried().toSeconds())
                .append("s (")
                .append(cause.getProperty(), 0, cause.getProperty().length() - ".port".length())
                .append(".init-timeout)");
        }
        return new FailureAnalysis(description.toString(), cause.getAction(), cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
