package com.pisync.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven by its chromedriver, fully offline. Paths come from
 * {@code -Dpisync.chromium} / {@code -Dpisync.chromedriver}, else /usr/bin/chromium and /usr/bin/chromedriver.
 */
final class Browser implements AutoCloseable {

    static final String TIME_ZONE = "Africa/Nairobi"; // UTC+3: times on screen must not be UTC

    final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /** Why a browser cannot run here, or empty when Chromium and chromedriver are both present. */
    static Optional<String> missing() {
        File chromium = chromium();
        File driver = chromedriver();
        if (!chromium.canExecute() || !driver.canExecute()) {
            return Optional.of("Chromium (" + chromium + (chromium.canExecute() ? " ok" : " missing") + ") and chromedriver ("
                    + driver + (driver.canExecute() ? " ok" : " missing") + ") are needed: apt-get install chromium chromium-driver");
        }
        return Optional.empty();
    }

    static File chromium() {
        return new File(System.getProperty("pisync.chromium", "/usr/bin/chromium"));
    }

    static File chromedriver() {
        return new File(System.getProperty("pisync.chromedriver", "/usr/bin/chromedriver"));
    }

    static Browser start(int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("pisync-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=en-GB",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver())
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", TIME_ZONE))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Path shots = Path.of(System.getProperty("pisync.screenshots.dir", "target/screenshots"));
        Files.createDirectories(shots);
        return new Browser(driver, profile, shots);
    }

    /** A full-page PNG: the window grows to the page's height for the shot, then shrinks back. */
    Path screenshot(String name) throws IOException {
        Dimension before = driver.manage().window().getSize();
        Number height = (Number) ((JavascriptExecutor) driver).executeScript(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
        int full = Math.min(6000, Math.max(before.getHeight(), height.intValue() + 20));
        driver.manage().window().setSize(new Dimension(before.getWidth(), full));
        try {
            Path file = screenshots.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /** Console messages at SEVERE level (JavaScript errors, failed loads) since the last call. */
    List<String> severeConsoleMessages() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage).toList();
        } catch (RuntimeException unsupported) {
            return List.of();
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }

    /**
     * Polls {@code condition} every 250 ms until it holds or {@code max} has passed (then fails naming {@code what});
     * an exception thrown by the condition counts as "not yet" until the end, then is thrown.
     */
    static void await(String what, java.time.Duration max, java.util.function.BooleanSupplier condition) {
        java.time.Instant end = java.time.Instant.now().plus(max);
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException retry) {
                if (java.time.Instant.now().isAfter(end)) {
                    throw retry;
                }
            }
            if (java.time.Instant.now().isAfter(end)) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
