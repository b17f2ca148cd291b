package com.pisync.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line entry point, run as its own process. */
class DynamoDbServerTest {

    @TempDir
    Path dir;

    private static Process run(String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", classpath, DynamoDbServer.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    @Test
    void aBadFlagPrintsUsageAndExitsWith2() throws Exception {
        Process p = run("--prot", "8000");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(err.contains("unknown option: --prot") && err.contains("usage:"), err);
    }

    @Test
    void aBadPortValueExitsWith2() throws Exception {
        Process p = run("--port", "eighty");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
    }

    @Test
    void aFolderOfAmazonDynamoDbLocalIsRefusedWithAMessageAndNoStackTrace() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("shared-local-instance.db"), "SQLite format 3");
        Process p = run("--port", "0", "--data-dir", dir.toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(err.startsWith("error: ") && err.contains("Amazon DynamoDB Local") && err.contains("Move or delete"), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
        assertEquals("SQLite format 3", java.nio.file.Files.readString(dir.resolve("shared-local-instance.db")));
    }

    @Test
    void itPrintsItsEndpointAndServesFromTheDataFolder() throws Exception {
        Process p = run("--port", "0", "--data-dir", dir.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String endpoint = out.readLine();
            assertTrue(endpoint != null && endpoint.matches("http://127\\.0\\.0\\.1:\\d+"), String.valueOf(endpoint));
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(endpoint + "/")).header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"TableNames\":[]}", r.body());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(dir.resolve(com.pisync.dynamodb.storage.Store.FILE_NAME).toFile().exists());
    }
}
