/**
 * The soak and chaos harness (issue 17): scenarios that attack the PACKAGED sample app, run as a child JVM at
 * {@code -Xmx256m} and a chosen {@code ulimit -n}, the way a hostile peer or an operator would, each with a stated
 * pass criterion and the figures it measured. Run with {@code async-io-benchmarks/chaos.sh}; it is not part of any
 * default build or test run.
 *
 * <p>{@link dev.asyncio.bench.chaos.ChaosRunner} runs the scenarios one after another (each starts its own sample
 * process through {@code SampleProcess}) and writes the summary to {@code build/CHAOS.md}. The load clients are
 * NIO-based ({@code NioSwarm}, {@code EchoStreamers}) so one process holds thousands of sockets; the probes
 * ({@code Probes}) are blocking sockets with bounded timeouts.
 */
package dev.asyncio.bench.chaos;
