/**
 * The LispWorks Async-I/O API on Java NIO: wait-state-collections, async-io-states and accepting handles.
 */
package dev.asyncio.core;
