package com.pisync.dynamodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.EngineOptions;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged write survives SIGKILL of the process (no shutdown hook, no close). */
class DurabilityTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteIsThereAfterTheWriterIsKilled() throws Exception {
        int lastAck = runAndKill(300);
        // reopens a killed store, writes past a checkpoint (every 5,000 operations), is killed again
        int lastAckSecondRun = runAndKill(lastAck + Store.CHECKPOINT_RECORDS + 200);
        assertTrue(lastAckSecondRun >= lastAck);
        ObjectMapper json = new ObjectMapper();
        try (Engine engine = Engine.open(new EngineOptions(0, dir, Clock.systemUTC(), null))) {
            for (int i = 0; i <= lastAckSecondRun; i++) {
                JsonNode got = engine.execute("GetItem", json.readTree("{\"TableName\":\"crash\",\"Key\":{\"pk\":{\"S\":\"item" + i + "\"}}}"));
                assertNotNull(got.get("Item"), "acknowledged item" + i + " lost");
            }
            assertEquals(count(engine, "{\"TableName\":\"crash\",\"Select\":\"COUNT\"}"),
                    count(engine, "{\"TableName\":\"crash\",\"IndexName\":\"byG\",\"Select\":\"COUNT\"}"),
                    "index and table written together");
        }
    }

    @Test
    void aTornLastJournalRecordIsIgnored() throws Exception {
        try (Store store = Store.open(dir)) {
            store.beginWrite();
            store.bytesMap("m").put(new byte[] {1}, new byte[] {42});
            store.endWrite();
            store.closeImmediately(); // no checkpoint: the write lives in the journal only
        }
        java.nio.file.Files.write(dir.resolve(Store.JOURNAL_NAME), new byte[] {0, 0, 0, 50, 1, 2, 3},
                java.nio.file.StandardOpenOption.APPEND);
        try (Store store = Store.open(dir)) {
            assertEquals(42, store.bytesMap("m").get(new byte[] {1})[0]);
        }
        assertEquals(0, java.nio.file.Files.size(dir.resolve(Store.JOURNAL_NAME)), "checkpointed on open");
    }

    @Test
    void aFailedWriteLeavesNoTrace() {
        try (Store store = Store.open(dir)) {
            store.beginWrite();
            store.bytesMap("m").put(new byte[] {1}, new byte[] {1});
            store.endWrite();
            store.beginWrite();
            store.bytesMap("m").put(new byte[] {1}, new byte[] {2});
            store.bytesMap("m").put(new byte[] {2}, new byte[] {2});
            store.abortWrite();
            assertEquals(1, store.bytesMap("m").get(new byte[] {1})[0]);
            assertEquals(null, store.bytesMap("m").get(new byte[] {2}));
        }
    }

    /** Counts a whole table or index, page by page. */
    private static int count(Engine engine, String scan) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode request = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(scan);
        int count = 0;
        while (true) {
            JsonNode page = engine.execute("Scan", request);
            count += page.get("Count").asInt();
            if (!page.has("LastEvaluatedKey")) {
                return count;
            }
            request.set("ExclusiveStartKey", page.get("LastEvaluatedKey"));
        }
    }

    /** Starts a writer, waits for {@code atLeast} acknowledgements, kills it; returns the last one seen. */
    private int runAndKill(int atLeast) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", classpath, CrashWriter.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int last = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    last = Integer.parseInt(line.substring(4));
                    if (last >= atLeast) {
                        break;
                    }
                } else if (!line.equals("READY")) {
                    System.err.println("writer: " + line);
                }
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
        }
        assertTrue(last >= atLeast, "writer stopped early at " + last);
        return last;
    }
}
