package io.raftbus.engine.memory;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A read bounded by bytes cuts where the sum of sizes says, whether or not it can skip adding them up. */
class InMemoryLogByteBoundTest {

    @Test
    void cutsWhereTheSumOfSizesPassesTheBound() {
        for (int seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            InMemoryLog log = new InMemoryLog();
            List<LogEntry> model = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                List<LogEntry> batch = new ArrayList<>();
                int n = random.nextInt(1, 20);
                for (int i = 0; i < n; i++) {
                    // mostly small, now and then a large one, so the largest size seen changes over the run
                    int size = random.nextInt(10) == 0 ? random.nextInt(1_000, 5_000) : random.nextInt(100);
                    batch.add(new LogEntry(model.size() + 1 + i, 1, EntryType.COMMAND, new byte[size]));
                }
                log.append(batch);
                model.addAll(batch);
                for (int k = 0; k < 5; k++) {
                    int from = random.nextInt(model.size());
                    int to = random.nextInt(from, model.size() + 1);
                    long maxBytes = random.nextInt(3) == 0 ? Long.MAX_VALUE : random.nextInt(0, 20_000);
                    assertEquals(expected(model, from, to, maxBytes), log.read(from + 1, to + 1, maxBytes));
                }
            }
        }
    }

    /** The LogAPI contract: at least one entry, then as many as keep the sum within maxBytes. */
    private static List<LogEntry> expected(List<LogEntry> model, int from, int to, long maxBytes) {
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        for (int i = from; i < to; i++) {
            bytes += model.get(i).sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(model.get(i));
        }
        return out;
    }
}
