package io.raftbus.sqlite;

import io.raftbus.engine.snapshot.FileSnapshotStore;
import io.raftbus.engine.spi.SnapshotInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The latest snapshot of a node's {@link FileSnapshotStore} directory, for {@link MembershipRecovery}. */
final class SnapshotDirectory {

    private SnapshotDirectory() {
    }

    /**
     * The latest valid snapshot in {@code dir} (empty if no directory is given or it holds none).
     *
     * @throws IllegalArgumentException the directory does not exist (a mistyped path is not an empty store)
     */
    static Optional<SnapshotInfo> latest(Optional<Path> dir) {
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        if (!Files.isDirectory(dir.get())) {
            throw new IllegalArgumentException("snapshot directory " + dir.get() + " does not exist");
        }
        try (FileSnapshotStore store = FileSnapshotStore.open(dir.get())) {
            return store.latest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot directory " + dir.get(), e);
        }
    }
}
