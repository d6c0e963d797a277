package io.raftbus.engine.core;

/**
 * Test aid: switches off a protocol rule of a {@link RaftCore} so a simulation can show that the rule is needed (the
 * seed that fails without it is kept as a regression seed). Never for production use; it lives in the testkit, in the
 * core's package, only to reach the core's package-private switches.
 */
public final class UnsafeCoreRules {

    private UnsafeCoreRules() {
    }

    /**
     * Lets {@code core}, as leader, propose a membership change before it committed an entry of its own term: the
     * known single-server change bug (Ongaro, raft-dev 2015).
     */
    public static void skipTermCommitRule(RaftCore core, boolean skip) {
        core.unsafeSkipTermCommitRule(skip);
    }
}
