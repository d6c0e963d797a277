package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link PersistentMap} against a {@link TreeMap}, and old versions staying as they were. */
class PersistentMapTest {

    @Test
    void behavesLikeASortedMapAndOldVersionsNeverChange() {
        Random random = new Random(42);
        PersistentMap map = PersistentMap.EMPTY;
        TreeMap<String, String> model = new TreeMap<>();
        List<PersistentMap> versions = new ArrayList<>();
        List<Map<String, String>> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(2_000);
            if (random.nextInt(3) == 0) {
                map = map.remove(key);
                model.remove(key);
            } else {
                String value = "v" + i;
                map = map.put(key, value);
                model.put(key, value);
            }
            if (i % 1_000 == 0) {
                versions.add(map);
                expected.add(new TreeMap<>(model));
            }
            assertEquals(model.size(), map.size());
        }
        assertEquals(model, contents(map));
        for (int v = 0; v < versions.size(); v++) {
            assertEquals(expected.get(v), contents(versions.get(v)), "version " + v + " as it was captured");
        }
        assertNull(map.get("absent"));
    }

    private static Map<String, String> contents(PersistentMap map) {
        Map<String, String> out = new TreeMap<>();
        List<String> order = new ArrayList<>();
        map.forEach((k, v) -> {
            out.put(k, v);
            order.add(k);
        });
        assertEquals(new ArrayList<>(out.keySet()), order, "visited in key order");
        return out;
    }
}
