package io.raftbus.it.linearizability;

/**
 * Result of a {@link KvInput}: for get the value read (null = absent), for cas whether it swapped, for put and del
 * just {@code ok}.
 *
 * @param ok false only for a cas that found another value
 * @param value the value a get read; null otherwise
 */
public record KvOutput(boolean ok, String value) {

    public static final KvOutput OK = new KvOutput(true, null);
    public static final KvOutput CAS_FAILED = new KvOutput(false, null);

    public static KvOutput read(String value) {
        return new KvOutput(true, value);
    }

    @Override
    public String toString() {
        return value != null ? value : ok ? "ok" : "fail";
    }
}
