/**
 * Side-by-side benchmarks of async-io against Netty, thread-per-connection servers and a C epoll reference.
 *
 * <p>{@code server} holds the echo servers (one {@code main} each, run in separate JVMs), {@code load} the load
 * generator that drives all of them, {@code jmh} the microbenchmarks of the core's hot paths. Nothing here is part of
 * the default build: build with {@code ./mvnw -Pbench}, run with {@code async-io-benchmarks/run.sh}.
 */
package dev.asyncio.bench;
