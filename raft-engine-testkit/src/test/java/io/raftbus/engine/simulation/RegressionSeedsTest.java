package io.raftbus.engine.simulation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeds that fail against a protocol mistake, kept so the mistake cannot come back unnoticed. Each was re-checked
 * after the PreVote pre-campaign numbers, read rounds and command outcome changes by reintroducing its mistake in
 * {@code RaftCore}; each is the lowest seed from 1 that catches it, except 17183, which still catches its own
 * (15236 is the lowest now):
 * <ul>
 *   <li>99: failing a proposal as "not committed" when a follower truncates its entry. A truncated entry can still be
 *       committed by a later leader that holds it: "Index 24 applied a command whose proposal had failed with a
 *       RetriableCommandException (certainly not applied)". (Seeds 23, then 72, caught it before runs shifted.)</li>
 *   <li>17183: committing an entry of an earlier term by counting replicas (Raft §5.4.2, Figure 8); this seed then
 *       elects a leader without a committed entry: "Leader Completeness: n1 became leader of term 7 without every
 *       committed entry (committed through 11, its log ends at 10)".</li>
 *   <li>213: serving a read without a majority confirming the leader still leads (ReadIndex, thesis §6.4): "read #63
 *       was served at index 36, but index 39 was already applied when it was submitted (a stale read)". (Was 79.)</li>
 *   <li>74: fixing a read's index before the leader has committed an entry of its own term: "read #99 was served at
 *       index 22, but index 23 was already applied when it was submitted (a stale read)". (Was 18.)</li>
 *   <li>31: handing out committed entries before the read round's log reads in ready(): a failing termAt on the
 *       leader loses the entries just handed out, and "a read at index 10 was released on n3, which has applied only
 *       8". (Was 348.)</li>
 *   <li>2521: answering a duplicated forwarded command NOT_LEADER during a leadership transfer although its first
 *       copy was appended (looking duplicates up after the role check): the forwarding follower fails proposal #92
 *       as certainly not applied, then "Index 33 applied a command whose proposal had failed with a
 *       RetriableCommandException (certainly not applied)". (Was 382.)</li>
 * </ul>
 * Seeds run with snapshots ({@link RandomFaultScenario.Snapshots#ON}):
 * <ul>
 *   <li>5508: a follower installing a snapshot kept waiting the proposals it had appended as the deposed leader of an
 *       earlier term at indexes after the snapshot's: their entries were discarded, and since an entry of a later term
 *       was committed at the snapshot's index, none of them could ever commit, yet they waited for commandTimeoutMs:
 *       "Liveness: 4 proposals still have no outcome 3000 ms after the healed cluster committed a new command:
 *       {n3=[95, 96, 101, 102]}".</li>
 *   <li>18290: not a protocol mistake but the checker's: a slowed-down candidate of term 6 got the term-6 leader's
 *       AppendEntries after entries 5..7 were committed in term 7 without it, and legitimately replaced its copy of
 *       entry 5, which it had never applied; the checker called that "n4 truncated committed entry 5 (committed
 *       through 7)". It now flags only a node truncating an entry it applied itself.</li>
 *   <li>48922: the checker's again: a slowed-down candidate of term 2 got its winning vote late, after a leader of
 *       term 3 had committed entry 4, and "n1 became leader of term 2 without every committed entry (committed through
 *       4, its log ends at 4)". Leader Completeness now asks a leader of term T only for what was applied while every
 *       term was below T; 17183 still catches the Figure 8 mistake with it (re-checked by reintroducing it).</li>
 * </ul>
 * A seed's run depends on every random choice and log read along the way, so a protocol change can move a mistake
 * to other seeds: re-check these by reintroducing the mistake when the core changes ({@code LongRun} from seed 1
 * stops at the first seed that catches it).
 */
class RegressionSeedsTest {

    @ParameterizedTest
    @ValueSource(longs = {31, 74, 99, 213, 2521, 17183})
    void seedThatCaughtAProtocolMistakePasses(long seed) {
        RandomFaultScenario.Result result = RandomFaultScenario.run(seed);
        assertTrue(result.committed() > 0);
    }

    @ParameterizedTest
    @ValueSource(longs = {5508, 18290, 48922})
    void seedWithSnapshotsThatCaughtAProtocolMistakePasses(long seed) {
        RandomFaultScenario.SnapshotResult result = RandomFaultScenario.run(seed, RandomFaultScenario.Snapshots.ON);
        assertTrue(result.result().committed() > 0);
        assertTrue(result.snapshots().taken() > 0, "the seed takes snapshots: " + result.snapshots());
    }
}
