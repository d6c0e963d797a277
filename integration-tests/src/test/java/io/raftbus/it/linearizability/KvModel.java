package io.raftbus.it.linearizability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sequential specification of a key-value map with put/get/cas/del, partitioned per key (each key is an independent
 * register). The per-key state is the key's value, absent as {@link Value#ABSENT}.
 */
public final class KvModel implements Model<KvModel.Value, KvInput, KvOutput> {

    /** One key's state: its value or absent. */
    public record Value(String value) {
        public static final Value ABSENT = new Value(null);

        @Override
        public String toString() {
            return value == null ? "<absent>" : value;
        }
    }

    @Override
    public Value initialState() {
        return Value.ABSENT;
    }

    @Override
    public Optional<Value> step(Value state, KvInput input, KvOutput output) {
        return switch (input.kind()) {
            case PUT -> accept(output == null || output.ok(), new Value(input.value()));
            case DEL -> accept(output == null || output.ok(), Value.ABSENT);
            case GET -> accept(output == null || Objects.equals(output.value(), state.value()), state);
            case CAS -> {
                boolean swaps = Objects.equals(state.value(), input.expected());
                Value after = swaps ? new Value(input.value()) : state;
                yield accept(output == null || output.ok() == swaps, after);
            }
        };
    }

    private static Optional<Value> accept(boolean possible, Value next) {
        return possible ? Optional.of(next) : Optional.empty();
    }

    @Override
    public List<List<Operation<KvInput, KvOutput>>> partition(List<Operation<KvInput, KvOutput>> history) {
        Map<String, List<Operation<KvInput, KvOutput>>> byKey = new LinkedHashMap<>();
        for (Operation<KvInput, KvOutput> op : history) {
            byKey.computeIfAbsent(op.input().key(), k -> new ArrayList<>()).add(op);
        }
        return List.copyOf(byKey.values());
    }

    @Override
    public String describePartition(List<Operation<KvInput, KvOutput>> partition) {
        return partition.isEmpty() ? "empty" : "key '" + partition.get(0).input().key() + "'";
    }
}
