package dev.asyncio.core.internal.loop;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The list the collection and the handle keep their states in: one element, two lists, O(1) removal. */
class IntrusiveListTest {

    @Test
    void anElementCanBeInTwoListsThroughTwoNodes() {
        IntrusiveList<String> collection = new IntrusiveList<>();
        IntrusiveList<String> handle = new IntrusiveList<>();
        IntrusiveList.Node<String> inCollection = new IntrusiveList.Node<>("s1");
        IntrusiveList.Node<String> inHandle = new IntrusiveList.Node<>("s1");
        collection.add(inCollection);
        handle.add(inHandle);
        collection.add(new IntrusiveList.Node<>("s2"));

        assertThat(collection.toList(10)).containsExactly("s2", "s1");
        assertThat(handle.toList(10)).containsExactly("s1");
        assertThat(handle.remove(inCollection)).as("a node of another list").isFalse();
        assertThat(collection.remove(inCollection)).isTrue();
        assertThat(collection.toList(10)).containsExactly("s2");
        assertThat(handle.size()).isEqualTo(1);
    }

    @Test
    void removingFromTheMiddleAndTheEndsKeepsTheLinks() {
        IntrusiveList<Integer> list = new IntrusiveList<>();
        @SuppressWarnings("unchecked")
        IntrusiveList.Node<Integer>[] nodes = new IntrusiveList.Node[5];
        for (int i = 0; i < 5; i++) {
            nodes[i] = new IntrusiveList.Node<>(i);
            list.add(nodes[i]);
        }
        list.remove(nodes[2]);
        list.remove(nodes[4]);
        list.remove(nodes[0]);
        assertThat(list.toList(10)).containsExactly(3, 1);
        assertThat(list.first()).isEqualTo(3);
        assertThat(list.toList(1)).containsExactly(3);
        assertThat(list.remove(nodes[2])).isFalse();
        assertThat(list.size()).isEqualTo(2);
        list.add(nodes[2]);
        assertThat(list.toList(10)).containsExactly(2, 3, 1);
    }

    @Test
    void aNodeIsInOneListAtATime() {
        IntrusiveList<String> a = new IntrusiveList<>();
        IntrusiveList<String> b = new IntrusiveList<>();
        IntrusiveList.Node<String> n = new IntrusiveList.Node<>("x");
        a.add(n);
        assertThatThrownBy(() -> b.add(n)).isInstanceOf(IllegalStateException.class);
        a.remove(n);
        b.add(n);
        assertThat(n.isLinked()).isTrue();
        assertThat(a.first()).isNull();
    }
}
