package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KvCommandTest {

    @Test
    void everyCommandSurvivesEncodeAndDecode() {
        List<KvCommand> commands = List.of(
                new KvCommand.Put("k", "v"),
                new KvCommand.Put("ключ", "value with spaces and ünïcödé"),
                new KvCommand.Put("k", ""),
                new KvCommand.Get("k"),
                new KvCommand.Delete("k"),
                new KvCommand.Cas("k", "old", "new"),
                new KvCommand.Cas("k", null, "new"));
        for (KvCommand command : commands) {
            assertEquals(command, KvCommand.decode(command.encode()));
        }
    }

    @Test
    void resultsSurviveEncodeAndDecode() {
        List<KvResult> results = List.of(KvResult.ok("v"), KvResult.ok(""), KvResult.notFound(),
                new KvResult(KvResult.Outcome.CAS_MISMATCH, null), new KvResult(KvResult.Outcome.CAS_MISMATCH, "x"),
                new KvResult(KvResult.Outcome.INVALID_COMMAND, "why"));
        for (KvResult result : results) {
            assertEquals(result, KvResult.decode(result.encode()));
        }
    }

    @Test
    void garbageIsRejectedWithIllegalArgument() {
        byte[] valid = new KvCommand.Put("key", "value").encode();
        assertThrows(IllegalArgumentException.class, () -> KvCommand.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> KvCommand.decode("hello".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> KvCommand.decode(Arrays.copyOf(valid, valid.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> KvCommand.decode(Arrays.copyOf(valid, valid.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> KvCommand.decode(new byte[] {KvCommand.FORMAT_VERSION, 'X'}));
        assertThrows(IllegalArgumentException.class, () -> KvResult.decode(new byte[] {42, 0, 0, 0, 0}));
    }

    @Test
    void anEmptyKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KvCommand.Get(""));
        assertThrows(IllegalArgumentException.class, () -> new KvCommand.Put(null, "v"));
    }
}
