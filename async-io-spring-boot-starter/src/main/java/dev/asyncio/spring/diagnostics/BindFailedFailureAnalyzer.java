package dev.asyncio.spring.diagnostics;

import dev.asyncio.core.BindFailedException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an async-io accepting handle that could not bind its port, for handles the application bound itself in
 * code (handles configured under {@code async-io.handles} are reported with their property by
 * {@link AsyncIoConfigurationFailureAnalyzer}).
 */
public class BindFailedFailureAnalyzer extends AbstractFailureAnalyzer<BindFailedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindFailedException cause) {
        return new FailureAnalysis(
                "An async-io accepting handle could not listen on port " + cause.port() + ": " + cause.getMessage(),
                "Stop the process that uses port " + cause.port() + ", or bind the handle to another port "
                        + "(async-io.handles.<name>.port for configured handles; 0 picks an ephemeral port).",
                cause);
    }
}
