package com.pisync.dynamodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path dir;

    @Test
    void aDynamoDbLocalFolderIsRefusedWithAClearMessageAndLeftAlone() throws Exception {
        byte[] sqlite = "SQLite format 3\0 not ours".getBytes();
        Files.write(dir.resolve("shared-local-instance.db"), sqlite);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Store.open(dir));
        assertTrue(e.getMessage().contains("DynamoDB Local"), e.getMessage());
        assertTrue(e.getMessage().contains("Move or delete the folder"), e.getMessage());
        assertArrayEquals(sqlite, Files.readAllBytes(dir.resolve("shared-local-instance.db")));
        assertTrue(!Files.exists(dir.resolve(Store.FILE_NAME)));
    }

    @Test
    void aDataFileThatIsNotAnMvStoreIsRefused() throws Exception {
        Files.write(dir.resolve(Store.FILE_NAME), "garbage".getBytes());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Store.open(dir));
        assertTrue(e.getMessage().contains("move or delete the folder"), e.getMessage());
    }

    @Test
    void aFolderInUseByAnotherEngineIsRefused() {
        try (Store first = Store.open(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Store.open(dir));
            assertTrue(e.getMessage().contains("If another engine uses this folder, stop it"), e.getMessage());
        }
    }

    @Test
    void anEmptyFolderBecomesAStoreAndReopens() {
        Store.open(dir).close();
        Store.open(dir).close();
        assertTrue(Files.exists(dir.resolve(Store.FILE_NAME)));
    }
}
