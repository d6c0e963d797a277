package io.raftbus.it.linearizability;

import static io.raftbus.it.linearizability.KvInput.cas;
import static io.raftbus.it.linearizability.KvInput.del;
import static io.raftbus.it.linearizability.KvInput.get;
import static io.raftbus.it.linearizability.KvInput.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker(TestDeadlines.seconds(60));
    private final KvModel model = new KvModel();
    private final List<Operation<KvInput, KvOutput>> history = new ArrayList<>();

    private void op(int client, KvInput input, KvOutput output, long call, long ret) {
        history.add(new Operation<>(history.size(), client, input, output, call, ret));
    }

    private void pending(int client, KvInput input, long call) {
        history.add(new Operation<>(history.size(), client, input, null, call, Operation.PENDING));
    }

    private CheckResult check() {
        return checker.check(model, history);
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        op(0, put("x", "1"), KvOutput.OK, 0, 1);
        op(0, get("x"), KvOutput.read("1"), 2, 3);
        op(0, cas("x", "1", "2"), KvOutput.OK, 4, 5);
        op(0, cas("x", "1", "3"), KvOutput.CAS_FAILED, 6, 7);
        op(0, get("x"), KvOutput.read("2"), 8, 9);
        op(0, del("x"), KvOutput.OK, 10, 11);
        op(0, get("x"), KvOutput.read(null), 12, 13);

        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    }

    @Test
    void readOverlappingAWriteMaySeeEitherValue() {
        op(0, put("x", "1"), KvOutput.OK, 0, 1);
        op(1, put("x", "2"), KvOutput.OK, 2, 10);
        op(2, get("x"), KvOutput.read("2"), 3, 4);
        op(3, get("x"), KvOutput.read("1"), 3, 5);

        assertThat(check().linearizable())
                .as("client 3 reads before the write takes effect, client 2 after; both overlap the write")
                .isTrue();
    }

    @Test
    void staleReadAfterACompletedWriteIsNotLinearizable() {
        op(0, put("x", "1"), KvOutput.OK, 0, 1);
        op(1, put("x", "2"), KvOutput.OK, 2, 3);
        op(2, get("x"), KvOutput.read("1"), 4, 5);

        CheckResult result = check();
        assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
        assertThat(result.detail()).contains("key 'x'");
        assertThat(result.failingOperations()).hasSize(3);
    }

    @Test
    void readsGoingBackInTimeAreNotLinearizable() {
        op(0, put("x", "1"), KvOutput.OK, 0, 10);
        op(1, put("x", "2"), KvOutput.OK, 0, 10);
        op(2, get("x"), KvOutput.read("2"), 1, 11);
        op(2, get("x"), KvOutput.read("1"), 12, 13);
        op(3, get("x"), KvOutput.read("2"), 14, 15);

        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void twoCompetingCasFromAbsentCannotBothSucceed() {
        op(0, cas("x", null, "a"), KvOutput.OK, 0, 5);
        op(1, cas("x", null, "b"), KvOutput.OK, 1, 6);

        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void oneOfTwoCompetingCasWins() {
        op(0, cas("x", null, "a"), KvOutput.OK, 0, 5);
        op(1, cas("x", null, "b"), KvOutput.CAS_FAILED, 1, 6);
        op(2, get("x"), KvOutput.read("a"), 7, 8);

        assertThat(check().linearizable()).isTrue();
    }

    @Test
    void anUnknownWriteMayTakeEffectLateOrNever() {
        pending(0, put("x", "1"), 0);
        op(1, get("x"), KvOutput.read(null), 5, 6);
        op(1, get("x"), KvOutput.read("1"), 7, 8);
        pending(2, cas("y", null, "z"), 0);
        op(1, get("y"), KvOutput.read(null), 9, 10);

        assertThat(check().linearizable()).isTrue();
    }

    @Test
    void anUnknownWriteTakesEffectAtMostOnce() {
        pending(0, put("x", "1"), 0);
        op(1, put("x", "2"), KvOutput.OK, 7, 8);
        op(1, get("x"), KvOutput.read("1"), 9, 10);

        assertThat(check().verdict())
                .as("the unknown put can land after put(x,2), making the read of 1 legal")
                .isEqualTo(CheckResult.Verdict.LINEARIZABLE);

        op(1, get("x"), KvOutput.read("2"), 11, 12);
        assertThat(check().verdict())
                .as("...but it lands once: reading 2 again after reading 1 is impossible")
                .isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anUnknownWriteSeenEarlyCannotExplainALaterStaleRead() {
        pending(0, put("x", "1"), 0);
        op(1, get("x"), KvOutput.read("1"), 5, 6);
        op(1, put("x", "2"), KvOutput.OK, 7, 8);
        op(1, get("x"), KvOutput.read("1"), 9, 10);

        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void keysAreCheckedIndependently() {
        op(0, put("x", "1"), KvOutput.OK, 0, 1);
        op(1, put("y", "1"), KvOutput.OK, 0, 1);
        op(0, get("y"), KvOutput.read("1"), 2, 3);
        op(1, get("x"), KvOutput.read("1"), 2, 3);

        CheckResult result = check();
        assertThat(result.linearizable()).isTrue();
        assertThat(result.partitions()).isEqualTo(2);
    }

    @Test
    void largeRandomLinearizableHistoryIsAcceptedAndACorruptedOneRejected() {
        Random random = new Random(42);
        generateAtomicHistory(random, 6, 3_000, 4);
        assertThat(check().linearizable()).isTrue();

        corruptOneRead(random);
        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void givesUpWithUnknownWhenTheBudgetIsSpent() {
        generateAtomicHistory(new Random(1), 6, 3_000, 1);
        CheckResult result = new LinearizabilityChecker(Duration.ZERO).check(model, history);
        assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.UNKNOWN);
        assertThat(result.linearizable()).isFalse();
    }

    /**
     * Simulates clients against a truly atomic map: each operation takes effect at a random instant inside its
     * [call, return] interval, so the resulting history is linearizable by construction.
     */
    private void generateAtomicHistory(Random random, int clients, int operationsPerClient, int keys) {
        record Planned(int client, KvInput input, long call, long point, long ret) {
        }
        List<Planned> planned = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long time = random.nextInt(10);
            for (int i = 0; i < operationsPerClient; i++) {
                long call = time + random.nextInt(5);
                long ret = call + 1 + random.nextInt(30);
                long point = call + random.nextLong(ret - call + 1);
                String key = "k" + random.nextInt(keys);
                String value = "v" + random.nextInt(5);
                KvInput input = switch (random.nextInt(4)) {
                    case 0 -> put(key, value);
                    case 1 -> cas(key, random.nextBoolean() ? null : "v" + random.nextInt(5), value);
                    case 2 -> del(key);
                    default -> get(key);
                };
                planned.add(new Planned(c, input, call * 2, point * 2 + 1, ret * 2 + 2));
                time = ret + 1;
            }
        }
        planned.sort(Comparator.comparingLong(Planned::point));
        Map<String, String> map = new HashMap<>();
        for (Planned p : planned) {
            KvInput in = p.input();
            KvOutput out = in.applyTo(map);
            op(p.client(), in, out, p.call(), p.ret());
        }
    }

    private void corruptOneRead(Random random) {
        for (int i = history.size() / 2; i < history.size(); i++) {
            Operation<KvInput, KvOutput> op = history.get(i);
            if (op.input().kind() == KvInput.Kind.GET) {
                history.set(i, new Operation<>(op.id(), op.clientId(), op.input(), KvOutput.read("never-written"),
                        op.callNanos(), op.returnNanos()));
                return;
            }
        }
        throw new AssertionError("no read to corrupt");
    }
}
