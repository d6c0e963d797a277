package io.raftbus.examples.kv;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable sorted map of strings (a treap with path copying): {@link #put} and {@link #remove} return a new map
 * in O(log n) expected time, sharing all untouched nodes with the old one, so keeping a version (a snapshot being
 * written while new commands apply) costs O(1). Each node's priority comes from its key's hash, so the shape is the
 * same for the same contents. Safe to share between threads.
 */
final class PersistentMap {

    /** The empty map. */
    static final PersistentMap EMPTY = new PersistentMap(null, 0);

    private record Node(String key, String value, int priority, Node left, Node right) {
        Node with(Node newLeft, Node newRight) {
            return new Node(key, value, priority, newLeft, newRight);
        }
    }

    private final Node root;
    private final int size;

    private PersistentMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    int size() {
        return size;
    }

    /** The value of {@code key}, or null. */
    String get(String key) {
        Node n = root;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c == 0) {
                return n.value;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    /** This map with {@code key} set to {@code value}. */
    PersistentMap put(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        boolean existed = get(key) != null;
        return new PersistentMap(insert(root, key, value, priority(key)), existed ? size : size + 1);
    }

    /** This map without {@code key} (this map itself if it has no such key). */
    PersistentMap remove(String key) {
        if (get(key) == null) {
            return this;
        }
        return new PersistentMap(delete(root, key), size - 1);
    }

    /** Visits every entry in key order. */
    void forEach(BiConsumer<String, String> action) {
        visit(root, action);
    }

    private static void visit(Node n, BiConsumer<String, String> action) {
        while (n != null) { // recursion on the left, a loop on the right
            visit(n.left, action);
            action.accept(n.key, n.value);
            n = n.right;
        }
    }

    private static Node insert(Node n, String key, String value, int priority) {
        if (n == null) {
            return new Node(key, value, priority, null, null);
        }
        int c = key.compareTo(n.key);
        if (c == 0) {
            return new Node(key, value, n.priority, n.left, n.right);
        }
        if (c < 0) {
            Node left = insert(n.left, key, value, priority);
            return left.priority > n.priority ? left.with(left.left, n.with(left.right, n.right)) // rotate right
                    : n.with(left, n.right);
        }
        Node right = insert(n.right, key, value, priority);
        return right.priority > n.priority ? right.with(n.with(n.left, right.left), right.right) // rotate left
                : n.with(n.left, right);
    }

    private static Node delete(Node n, String key) {
        int c = key.compareTo(n.key);
        if (c == 0) {
            return merge(n.left, n.right);
        }
        return c < 0 ? n.with(delete(n.left, key), n.right) : n.with(n.left, delete(n.right, key));
    }

    /** Joins two treaps whose keys are all smaller in {@code a} than in {@code b}. */
    private static Node merge(Node a, Node b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.priority > b.priority ? a.with(a.left, merge(a.right, b)) : b.with(merge(a, b.left), b.right);
    }

    /** A well-mixed hash of the key (murmur3's finalizer), so priorities look random for any keys. */
    private static int priority(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
