package dev.asyncio.core.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.function.Supplier;

/**
 * The addresses in the order of the current round of attempts: in order, or shuffled anew for each round.
 * Loop thread only.
 */
final class AddressCycle {
    private final List<ClientAddress> configured;
    private final boolean shuffle;
    private final Supplier<RandomGenerator> random;
    private List<ClientAddress> round;
    private int index;

    AddressCycle(List<ClientAddress> addresses, AddressOrder order, Supplier<RandomGenerator> random) {
        this.configured = addresses;
        this.shuffle = order == AddressOrder.SHUFFLE;
        this.random = random;
        newRound();
    }

    /** @return the address to try now */
    ClientAddress current() {
        return round.get(index);
    }

    /**
     * Moves to the next address after a failed attempt.
     *
     * @return whether that ended the round (every address failed once): then the next round starts
     */
    boolean advance() {
        index++;
        if (index < round.size()) {
            return false;
        }
        newRound();
        return true;
    }

    /** Starts a round from its first address (in order: the first configured, so a primary that is back wins). */
    void newRound() {
        index = 0;
        if (shuffle && configured.size() > 1) {
            List<ClientAddress> l = new ArrayList<>(configured);
            Collections.shuffle(l, new java.util.Random(random.get().nextLong()));
            round = l;
        } else {
            round = configured;
        }
    }
}
