package io.raftbus.it.linearizability;

import java.util.Map;
import java.util.Objects;

/**
 * A key-value operation: {@code put k v}, {@code get k}, {@code cas k expected new}, {@code del k}.
 *
 * @param kind the operation
 * @param key the key it touches
 * @param value the value written by put/cas; null otherwise
 * @param expected the value cas expects to find (null = key absent); null otherwise
 */
public record KvInput(Kind kind, String key, String value, String expected) {

    /** Operation kinds. */
    public enum Kind { PUT, GET, CAS, DEL }

    public KvInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    public static KvInput put(String key, String value) {
        return new KvInput(Kind.PUT, key, Objects.requireNonNull(value, "value"), null);
    }

    public static KvInput get(String key) {
        return new KvInput(Kind.GET, key, null, null);
    }

    public static KvInput cas(String key, String expected, String value) {
        return new KvInput(Kind.CAS, key, Objects.requireNonNull(value, "value"), expected);
    }

    public static KvInput del(String key) {
        return new KvInput(Kind.DEL, key, null, null);
    }

    /** Applies this operation to {@code map}, one at a time as a sequential key-value store does, and returns its output. */
    public KvOutput applyTo(Map<String, String> map) {
        return switch (kind) {
            case PUT -> {
                map.put(key, value);
                yield KvOutput.OK;
            }
            case DEL -> {
                map.remove(key);
                yield KvOutput.OK;
            }
            case GET -> KvOutput.read(map.get(key));
            case CAS -> {
                if (Objects.equals(map.get(key), expected)) {
                    map.put(key, value);
                    yield KvOutput.OK;
                }
                yield KvOutput.CAS_FAILED;
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PUT -> "put(" + key + "," + value + ")";
            case GET -> "get(" + key + ")";
            case CAS -> "cas(" + key + "," + expected + "->" + value + ")";
            case DEL -> "del(" + key + ")";
        };
    }
}
