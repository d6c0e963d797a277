package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/** Test helper: a copy of a message record with other cluster id, sender and receiver. */
final class Readdress {

    private Readdress() {
    }

    static RaftMessage of(RaftMessage message, String clusterId, String from, String to) {
        RecordComponent[] components = message.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = switch (components[i].getName()) {
                    case "clusterId" -> clusterId;
                    case "from" -> from;
                    case "to" -> to;
                    default -> components[i].getAccessor().invoke(message);
                };
            }
            Constructor<?> canonical = message.getClass().getDeclaredConstructor(types);
            return (RaftMessage) canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
