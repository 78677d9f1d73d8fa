package dev.asyncio.spring.autoconfigure;

import java.util.Set;

import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.HandleDefinition;
import org.jspecify.annotations.Nullable;

/**
 * Where one configured handle runs, from its {@code collection} and {@code loops} properties: a shared collection
 * (one loop), or a group of collections of its own ({@link HandleDefinition}). Checks both values; each broken rule
 * throws an {@link AsyncIoConfigurationException} naming the property.
 *
 * @param collection the collection the handle accepts in: the shared one, or the handle's name
 * @param loops how many loops serve its connections
 */
record LoopGroup(String collection, int loops) {

    /**
     * @param prefix the handle's property prefix
     * @param name the handle's name
     * @param collection its {@code collection} property, {@code null} when not set
     * @param loops its {@code loops} property, {@code null} when not set
     * @param collectionNames the collections a handle may share
     * @param processors the default of {@code loops}
     * @return where the handle runs
     * @throws AsyncIoConfigurationException for a value that breaks a rule
     */
    static LoopGroup of(String prefix, String name, @Nullable String collection, @Nullable Integer loops,
            Set<String> collectionNames, int processors) {
        if (loops != null && loops < 1) {
            throw new AsyncIoConfigurationException(prefix + ".loops", loops, "must be at least 1",
                    "Set " + prefix + ".loops to 1 (no spreading) or more, or remove it for one loop per processor.");
        }
        if (collection != null) {
            if (!collectionNames.contains(collection)) {
                throw new AsyncIoConfigurationException(prefix + ".collection", collection,
                        "names no configured collection (known: " + collectionNames + ")",
                        "Configure async-io.collections." + collection + ".callback-error-policy, use one of "
                                + collectionNames + ", or remove it for collections of the handle's own.");
            }
            if (loops != null && loops > 1) {
                throw new AsyncIoConfigurationException(prefix + ".loops", loops,
                        "cannot be above 1 while " + prefix + ".collection (" + collection
                                + ") is set: a shared collection is one loop",
                        "Remove " + prefix + ".collection to give the handle " + loops + " loops of its own, or "
                                + "remove " + prefix + ".loops.");
            }
            return new LoopGroup(collection, 1);
        }
        int count = (loops != null) ? loops : Math.max(1, processors);
        for (String own : HandleDefinition.groupNames(name, count)) {
            if (collectionNames.contains(own)) {
                throw new AsyncIoConfigurationException(prefix + ".collection", null,
                        "is not set, so the handle gets collections of its own named " + name
                                + ((count > 1) ? " to " + name + "-" + count : "") + ", but '" + own
                                + "' is a configured (or the default) collection",
                        "Set " + prefix + ".collection=" + own + " to share that collection, or rename the handle "
                                + "or the collection.");
            }
        }
        return new LoopGroup(name, count);
    }
}
