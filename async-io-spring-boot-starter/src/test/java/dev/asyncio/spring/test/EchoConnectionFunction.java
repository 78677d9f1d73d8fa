package dev.asyncio.spring.test;

import java.util.Arrays;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;

/** Echoes every byte back; closes gracefully on EOF. Needs {@code queue-output: true}. */
public class EchoConnectionFunction implements ConnectionFunction {

    @Override
    public void connected(AcceptingHandle handle, AsyncIoState state) {
        state.readWithChecking((s, buffer, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                s.closeGracefully(null, null);
                return;
            }
            byte[] copy = Arrays.copyOf(buffer, end);
            s.discard(end);
            s.writeBuffer(copy, null);
        });
    }
}
