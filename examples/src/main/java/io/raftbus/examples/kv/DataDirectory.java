package io.raftbus.examples.kv;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates a {@code --data} directory, with an error that says what went wrong rather than a bare path. */
final class DataDirectory {

    private DataDirectory() {
    }

    /** Creates {@code dir} and its parents if missing. @throws IOException saying why it cannot be created */
    static Path create(Path dir) throws IOException {
        try {
            return Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("the data directory " + dir + " cannot be created: " + e.getFile()
                    + " exists and is not a directory", e);
        } catch (AccessDeniedException e) {
            throw new IOException("the data directory " + dir + " cannot be created: permission denied on "
                    + e.getFile(), e);
        } catch (FileSystemException e) {
            throw new IOException("the data directory " + dir + " cannot be created: "
                    + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason())
                    + (e.getFile() == null ? "" : " (" + e.getFile() + ")"), e);
        } catch (IOException e) {
            throw new IOException("the data directory " + dir + " cannot be created: " + e, e);
        }
    }
}
