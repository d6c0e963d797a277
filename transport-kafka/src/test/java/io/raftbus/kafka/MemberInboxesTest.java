package io.raftbus.kafka;

import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new member's inbox is made sure of in the background, with bounded attempts, before it is sent anything. */
class MemberInboxesTest {

    /**
     * The attempt timeout is what a provision waits for the test's "broker" to answer: scaled, so that a test thread
     * starved for a few seconds on a busy machine does not fail the attempt it is about to let through.
     */
    private static final KafkaTransportConfig CONFIG = KafkaTransportConfig.builder().bootstrapServers("unused:9092")
            .clusterId("c").members(Set.of("n1", "n2", "n3")).startupRetry(3, 1, 2)
            .startupAttemptTimeoutMs(TestDeadlines.seconds(60).toMillis()).build();

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final AtomicLong limitSeen = new AtomicLong();
    private MemberInboxes inboxes;

    @AfterEach
    void close() {
        if (inboxes != null) {
            inboxes.close();
        }
    }

    private MemberInboxes inboxes(MemberInboxes.Provision provision) {
        inboxes = new MemberInboxes(CONFIG, Set.of("n2", "n3"), (topic, timeout) -> {
            asked.add(topic);
            return provision.ensure(topic, timeout);
        }, Executors.newSingleThreadScheduledExecutor(), limitSeen::set);
        return inboxes;
    }

    @Test
    void aNewMembersInboxIsReadyOnlyOnceProvisionedAndEnsureNeverWaitsForIt() throws Exception {
        CountDownLatch brokerAnswers = new CountDownLatch(1);
        MemberInboxes inboxes = inboxes((topic, timeout) -> {
            assertTrue(brokerAnswers.await(timeout, TimeUnit.MILLISECONDS));
            return 4096;
        });
        assertTrue(inboxes.isReady("n2"), "checked at start");

        inboxes.ensure(Set.of("n2", "n3", "n4"));
        assertFalse(inboxes.isReady("n4"), "the broker has not answered yet, and ensure() returned");
        assertTrue(inboxes.whyNotReady("n4").contains("raftbus.c.n4 of new member n4 is not yet known to exist"),
                inboxes.whyNotReady("n4"));
        brokerAnswers.countDown();
        Await.until("n4's inbox to be ready", () -> inboxes.isReady("n4"));
        assertEquals(List.of("raftbus.c.n4"), asked, "only the new member's inbox is asked for");
        assertEquals(4096, limitSeen.get());
    }

    @Test
    void attemptsAreBoundedThenTheNextConfigurationChangeTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        MemberInboxes inboxes = inboxes((topic, timeout) -> {
            if (calls.incrementAndGet() <= 3) {
                throw new org.apache.kafka.common.errors.TimeoutException("broker busy");
            }
            return 1;
        });
        inboxes.ensure(Set.of("n2", "n3", "n4"));
        Await.until("the attempts to run out", () -> inboxes.whyNotReady("n4").contains("in 3 attempts"));
        assertFalse(inboxes.isReady("n4"));
        assertTrue(inboxes.whyNotReady("n4").contains("broker busy"), inboxes.whyNotReady("n4"));
        assertEquals(3, calls.get());

        inboxes.ensure(Set.of("n2", "n3", "n4"));
        Await.until("n4's inbox to be ready after the next change", () -> inboxes.isReady("n4"));
        assertEquals(4, calls.get());
    }

    @Test
    void aFatalFailureGivesUpAtOnce() {
        MemberInboxes inboxes = inboxes((topic, timeout) -> {
            throw new InboxProvisioner.FatalStartupException("Not authorized to create inbox topic " + topic, null);
        });
        inboxes.ensure(Set.of("n4"));
        Await.until("to give up", () -> inboxes.whyNotReady("n4").contains("in 1 attempts"));
        assertTrue(inboxes.whyNotReady("n4").contains("Not authorized"), inboxes.whyNotReady("n4"));
        assertEquals(1, asked.size());
    }

    @Test
    void aRemovedMemberIsForgottenSoThatItsInboxIsCheckedAgainWhenReAdded() {
        MemberInboxes inboxes = inboxes((topic, timeout) -> 1);
        inboxes.ensure(Set.of("n2"));
        assertFalse(inboxes.isReady("n3"), "removed");
        assertTrue(asked.isEmpty(), "n2 was known");
        inboxes.ensure(Set.of("n2", "n3"));
        Await.until("n3's inbox to be ready again", () -> inboxes.isReady("n3"));
        assertEquals(List.of("raftbus.c.n3"), asked);
    }
}
