package com.pisync.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;
import org.openqa.selenium.WebDriver;

/**
 * A browser test class's shared set-up: one local stack ({@link LocalStack#open()}) and one
 * headless Chromium for the whole class, the admin signed in through the API; skipped with one line saying
 * why where Chromium or the stack cannot start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserStackTest {

    static final Duration UI_WAIT = Duration.ofSeconds(40);

    LocalStack stack;
    Browser browser;
    WebDriver driver;
    Api api;
    String adminToken;
    String skipReason;
    final String run = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    void stackAndBrowser() throws Exception {
        skipReason = Browser.missing().orElse(null);
        if (skipReason == null) {
            try {
                stack = openStack();
            } catch (TestAbortedException noStack) {
                skipReason = noStack.getMessage().replaceFirst("^Assumption failed: ", "");
            }
        }
        if (skipReason != null) {
            System.out.println("[browser-tests] SKIPPED: " + skipReason);
            return;
        }
        api = new Api(stack.url());
        adminToken = api.expect(200, "POST", "/v1/auth/login",
                Map.of("username", stack.adminUser(), "password", stack.adminPassword()), null).get("access_token").asText();
        browser = Browser.start(1366, 900);
        driver = browser.driver;
    }

    /** The stack this class tests against; a class that needs the runner's clock starts its own. */
    LocalStack openStack() throws Exception {
        return LocalStack.open();
    }

    @BeforeEach
    void needsBrowserAndStack() {
        assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }
}
