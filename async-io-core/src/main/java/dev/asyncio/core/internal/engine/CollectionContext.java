package dev.asyncio.core.internal.engine;

import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.IntrusiveList;
import dev.asyncio.core.internal.memory.BudgetCore;
import dev.asyncio.core.internal.write.WriteOpPool;

/**
 * What every state of one collection shares: the loop, the callback invoker, the pool of write records, the
 * collection's counters, its list of open states and its memory budget.
 *
 * @param loop the event loop
 * @param invoker runs user callbacks under the collection's error policy
 * @param writeOps recycled write records (loop thread)
 * @param counters the collection's traffic counters
 * @param states the open states (loop thread)
 * @param budget the memory budget every state's bytes are charged to
 */
public record CollectionContext(EventLoop loop, CallbackInvoker invoker, WriteOpPool writeOps,
                                TrafficCounters counters, IntrusiveList<StateEngine> states, BudgetCore budget) {
}
