package io.raftbus.engine.simulation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeds that failed against a protocol mistake, kept so the mistake cannot come back unnoticed:
 * <ul>
 *   <li>23: failing a proposal as "not committed" when a follower truncates its entry. A truncated entry can still be
 *       committed by a later leader that holds it; this seed applies such a command at index 28.</li>
 *   <li>17183: committing an entry of an earlier term by counting replicas (Raft §5.4.2, Figure 8); this seed then
 *       elects a leader without a committed entry (Leader Completeness).</li>
 * </ul>
 */
class RegressionSeedsTest {

    @ParameterizedTest
    @ValueSource(longs = {23, 17183})
    void seedThatCaughtAProtocolMistakePasses(long seed) {
        RandomFaultScenario.Result result = RandomFaultScenario.run(seed);
        assertTrue(result.committed() > 0);
    }
}
