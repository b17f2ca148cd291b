package com.pisync.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;

class StageConfigTest {

    @Test
    void defaultsToDev() {
        StageConfig config = StageConfig.fromContext(new App().getNode());
        assertEquals("dev", config.stage());
        assertEquals("PiSync-dev", config.stackName());
        assertFalse(config.isProduction());
        assertEquals(RemovalPolicy.DESTROY, config.statefulRemovalPolicy());
        assertEquals(Optional.empty(), config.dashboardOrigin());
        assertEquals(3, config.failureThreshold());
        assertEquals(Optional.empty(), config.secretsGeneration());
    }

    @Test
    void readsContext() {
        App app = App.Builder.create().context(Map.of("stage", "prod", "alertEmail", "a@b.example",
                "dashboardOrigin", "https://dash.example.com/", "failureThreshold", "5", "secretsGeneration", "2")).build();
        StageConfig config = StageConfig.fromContext(app.getNode());
        assertTrue(config.isProduction());
        assertEquals(RemovalPolicy.RETAIN, config.statefulRemovalPolicy());
        assertEquals(Optional.of("a@b.example"), config.alertEmail());
        assertEquals(Optional.of("https://dash.example.com"), config.dashboardOrigin());
        assertEquals(5, config.failureThreshold());
        assertEquals(Optional.of(2), config.secretsGeneration());
    }

    @Test
    void rejectsBadContext() {
        assertThrows(IllegalArgumentException.class, () -> StageConfig.of("Prod!"));
        assertThrows(IllegalArgumentException.class, () -> StageConfig.dev().withDashboardOrigin("http://evil.example.com"));
        assertThrows(IllegalArgumentException.class, () -> StageConfig.dev().withDashboardOrigin("https://x.example.com/path"));
        assertThrows(IllegalArgumentException.class, () -> StageConfig.dev().withAlertEmail("not-an-email"));
    }

    @Test
    void missingJarFailsWithTheBuildCommand(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FunctionArtifacts(dir).jar("ingest"));
        assertTrue(e.getMessage().contains("mvn -B package -DskipTests"), e.getMessage());
        assertTrue(e.getMessage().contains("pisync-ingest.jar"), e.getMessage());
    }

    @Test
    void findsJarsUnderTheFunctionsDirectory(@TempDir Path dir) throws IOException {
        Path jar = Files.createDirectories(dir.resolve("processor/target")).resolve("pisync-processor.jar");
        Files.write(jar, new byte[] {'P', 'K'});
        assertEquals(jar.toAbsolutePath(), new FunctionArtifacts(dir).jar("processor"));
    }

    @Test
    void locatesTheRepositoryFunctionsDirectoryFromInfra() {
        String configured = System.getProperty(FunctionArtifacts.DIR_PROPERTY);
        org.junit.jupiter.api.Assumptions.assumeTrue((configured == null || configured.isBlank())
                && System.getenv(FunctionArtifacts.DIR_ENV) == null, "functions dir overridden");
        Path dir = FunctionArtifacts.locate().functionsDir();
        assertEquals("functions", dir.getFileName().toString());
        assertTrue(Files.isRegularFile(dir.resolveSibling("infra").resolve("pom.xml")));
    }
}
