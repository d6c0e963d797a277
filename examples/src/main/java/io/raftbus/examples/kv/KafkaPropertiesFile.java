package io.raftbus.examples.kv;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads a {@code --command-config} file: Java properties holding Kafka client settings (security.protocol, sasl.*,
 * ssl.*, ...) and optionally raftbus.* transport settings, handed as they are to {@code KafkaTransportConfig}.
 */
final class KafkaPropertiesFile {

    private KafkaPropertiesFile() {
    }

    /** @throws UsageException if the file cannot be read */
    static Map<String, String> load(Path file) throws UsageException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--command-config " + file + " cannot be read: " + e);
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            settings.put(key, properties.getProperty(key).strip());
        }
        return Map.copyOf(settings);
    }
}
