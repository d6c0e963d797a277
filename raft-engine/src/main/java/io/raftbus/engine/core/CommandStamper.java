package io.raftbus.engine.core;

/**
 * A leader-side hook that may rewrite a command's bytes as the leader appends it to its log, once, before any node
 * sees the entry. Client sessions use it to stamp each command with the leader's clock (the entry's <em>log
 * time</em>, thesis §6.3), so every node expires the same sessions at the same index. Without a stamper (the default)
 * the core appends command bytes verbatim.
 */
@FunctionalInterface
public interface CommandStamper {

    /**
     * The bytes to append for {@code command}: {@code command} itself or a new array. Must not modify
     * {@code command} (it may be referenced elsewhere) and must not throw.
     */
    byte[] stamp(byte[] command);
}
