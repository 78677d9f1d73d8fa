package dev.asyncio.core.internal.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * A doubly linked list whose links live in the elements' own {@link Node}s, so adding and removing allocate nothing
 * and removal is O(1). One element may be in several lists through several nodes (a state is in its collection's
 * list and its handle's). Not thread-safe: the loop thread owns it; {@link #size()} may be read from any thread.
 *
 * @param <T> the element type
 */
public final class IntrusiveList<T> {

    /**
     * An element's place in one list.
     *
     * @param <T> the element type
     */
    public static final class Node<T> {
        private final T value;
        private Node<T> prev;
        private Node<T> next;
        private IntrusiveList<T> list;

        /** @param value the element this node belongs to */
        public Node(T value) {
            this.value = value;
        }

        /** @return whether the node is in a list */
        public boolean isLinked() {
            return list != null;
        }
    }

    private Node<T> first;
    private volatile int size;

    /** @param node a node that is in no list; added at the front */
    public void add(Node<T> node) {
        if (node.list != null) {
            throw new IllegalStateException("node is already in a list");
        }
        node.list = this;
        node.prev = null;
        node.next = first;
        if (first != null) {
            first.prev = node;
        }
        first = node;
        size++;
    }

    /**
     * @param node a node; nothing happens if it is not in this list
     * @return whether it was removed
     */
    public boolean remove(Node<T> node) {
        if (node.list != this) {
            return false;
        }
        if (node.prev != null) {
            node.prev.next = node.next;
        } else {
            first = node.next;
        }
        if (node.next != null) {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        node.list = null;
        size--;
        return true;
    }

    /** @return the first element, or {@code null} when empty */
    public T first() {
        Node<T> f = first;
        return f != null ? f.value : null;
    }

    /** @return how many elements are linked */
    public int size() {
        return size;
    }

    /**
     * @param limit the most elements to return
     * @return the first {@code limit} elements, newest first
     */
    public List<T> toList(int limit) {
        List<T> all = new ArrayList<>(Math.min(limit, size));
        for (Node<T> n = first; n != null && all.size() < limit; n = n.next) {
            all.add(n.value);
        }
        return all;
    }
}
