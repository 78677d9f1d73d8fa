/**
 * Framed echo: async-io's {@code FrameReader}/{@code FrameWriter} against Netty's
 * {@code LengthFieldBasedFrameDecoder} + {@code LengthFieldPrepender} on NIO, epoll and io_uring (issue 19's
 * performance target), and the report of {@code framed.sh}.
 */
package dev.asyncio.bench.framed;
