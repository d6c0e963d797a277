package io.raftbus.engine.simulation;

/**
 * What the random membership changes of a {@link RandomFaultScenario} run did (see {@link MembershipFaults}).
 *
 * @param joined fresh nodes started in join mode
 * @param proposed changes proposed to a leader (or, when none was known, to some node)
 * @param completed changes whose proposal completed (committed)
 * @param refused changes refused as certainly not made (not leader, another change in progress, no entry of the
 *                leader's term committed yet, learner behind)
 * @param invalid changes refused as invalid (not a learner, not a member, the last voter)
 * @param unknown changes whose outcome is unknown (leadership lost, node crashed, timed out)
 * @param committedConfigs configurations committed in the run (changes whose proposals completed or not)
 * @param retired nodes stopped for good (removed, or never added)
 */
public record MembershipStats(long joined, long proposed, long completed, long refused, long invalid, long unknown,
                              long committedConfigs, long retired) {

    /** The sum of two runs' stats. */
    public MembershipStats plus(MembershipStats o) {
        return new MembershipStats(joined + o.joined, proposed + o.proposed, completed + o.completed,
                refused + o.refused, invalid + o.invalid, unknown + o.unknown, committedConfigs + o.committedConfigs,
                retired + o.retired);
    }

    /** All zero. */
    public static final MembershipStats NONE = new MembershipStats(0, 0, 0, 0, 0, 0, 0, 0);
}
