package com.pisync.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentest4j.TestAbortedException;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser against a running stack: an admin signs in, finds the failing device,
 * opens it, sees its history and alert, requests a sync, watches the simulated device take it (delivered)
 * and answer it (completed), and signs out. Screenshots: target/screenshots/*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Duration UI_WAIT = Duration.ofSeconds(40);

    private LocalStack stack;
    private Browser browser;
    private WebDriver driver;
    private Api api;
    private String adminToken;
    private Fleet fleet;
    private String viewerUser;
    private String viewerPassword;

    /** The devices seeded for this run (ids unique per run, so a long-running stack can be reused). */
    record Fleet(String healthy, String failing, String failingName, String failingToken, String fresh, String site) {
    }

    /** Why this machine cannot run the tests (no browser, no stack), or null. Each test then skips with it. */
    private String skipReason;

    @BeforeAll
    void stackAndBrowser() throws Exception {
        skipReason = Browser.missing().orElse(null);
        if (skipReason == null) {
            try {
                stack = LocalStack.open();
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
        fleet = seed();
        viewerUser = "viewer-" + fleet.site().substring(fleet.site().lastIndexOf('-') + 1);
        viewerPassword = "Viewer-" + UUID.randomUUID().toString().substring(0, 8) + "-Pw1!";
        Api.Answer created = api.call("POST", "/v1/users", Map.of("username", viewerUser, "password", viewerPassword,
                "role", "viewer"), adminToken);
        if (created.status() != 201) {
            System.out.println("[browser-tests] no viewer user (POST /v1/users answered " + created.status() + "): "
                    + created.body());
            viewerUser = null;
        }
        browser = Browser.start(1366, 900);
        driver = browser.driver;
        System.out.println("[browser-tests] dashboard at " + stack.url() + " (" + stack.description() + ")");
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

    /** Registers three devices and has them post events with their own device tokens. */
    private Fleet seed() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String site = "school-browser-" + run;
        String healthy = "pibook-bt" + run + "-01";
        String failing = "pibox-bt" + run + "-02";
        String failingName = "PiBox hub " + run + ", library";
        String fresh = "pibook-bt" + run + "-03";
        String healthyToken = register(healthy, "PiBook 1 (Grade 6)", "PiBook", site);
        String failingToken = register(failing, failingName, "PiBox", site);
        register(fresh, "PiBook 3 (spare)", "PiBook", site);

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Map<String, Object>> ok = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ok.add(event(healthy, i, now.minus(Duration.ofHours(30 - i * 6)), 20 + i * 5, 0, 8.5 + i, null));
        }
        deviceUpload(healthyToken, ok);
        List<Map<String, Object>> bad = new ArrayList<>();
        bad.add(event(failing, 1, now.minus(Duration.ofHours(9)), 42, 0, 12.0, null));
        bad.add(event(failing, 2, now.minus(Duration.ofHours(6)), 0, 12, 0.4, "NET_TIMEOUT"));
        bad.add(event(failing, 3, now.minus(Duration.ofHours(4)), 3, 9, 0.9, "NET_TIMEOUT"));
        bad.add(event(failing, 4, now.minus(Duration.ofHours(2)), 0, 14, 0.3, "DISK_FULL"));
        deviceUpload(failingToken, bad);

        // Processing is asynchronous: wait until the API shows the streak and its alert.
        await("device " + failing + " failing with an open alert", Duration.ofSeconds(60), () -> {
            JsonNode d = api.expect(200, "GET", "/v1/devices/" + failing, null, adminToken);
            JsonNode alerts = api.expect(200, "GET", "/v1/alerts?state=open&device_id=" + failing, null, adminToken);
            return "failing".equals(d.path("status").asText()) && alerts.path("items").size() == 1;
        });
        await("device " + healthy + " healthy", Duration.ofSeconds(30), () ->
                "healthy".equals(api.expect(200, "GET", "/v1/devices/" + healthy, null, adminToken).path("status").asText()));
        return new Fleet(healthy, failing, failingName, failingToken, fresh, site);
    }

    private String register(String id, String name, String type, String site) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_id", id);
        body.put("name", name);
        body.put("type", type);
        body.put("site", site);
        body.put("tags", List.of("browser-test"));
        return api.expect(201, "POST", "/v1/devices", body, adminToken).get("device_token").asText();
    }

    private static Map<String, Object> event(String device, long seq, Instant at, int files, int errors, double speed,
            String errorCode) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("device_id", device);
        e.put("event_id", device + "-" + seq);
        e.put("seq", seq);
        e.put("timestamp", at.toString());
        e.put("total_files_synced", files);
        e.put("total_errors", errors);
        e.put("internet_speed", speed);
        e.put("pending_files", errors);
        if (errorCode != null) {
            e.put("error_code", errorCode);
            e.put("error_message", errorCode.equals("DISK_FULL") ? "no space left on device (" + errors + " files left)"
                    : "upstream timed out after 30 s (" + errors + " files left)");
        }
        return e;
    }

    private JsonNode deviceUpload(String token, List<Map<String, Object>> events) {
        JsonNode r = api.expect(202, "POST", "/v1/sync-events", Map.of("events", events), token);
        assertEquals(events.size(), r.path("accepted").size(), "all accepted: " + r);
        return r;
    }

    // -------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void adminFindsTheFailingDeviceRequestsASyncAndSeesItComplete() throws Exception {
        driver.get(stack.url() + "/");
        WebElement user = waitFor(By.id("username"));
        browser.screenshot("01-login");
        user.sendKeys(stack.adminUser());
        driver.findElement(By.id("password")).sendKeys("wrong-password", Keys.ENTER);
        WebElement loginError = waitFor(By.cssSelector("#login-error .problem"));
        assertTrue(loginError.getText().contains("401"), "wrong password shows the problem: " + loginError.getText());
        WebElement password = driver.findElement(By.id("password"));
        password.clear();
        password.sendKeys(stack.adminPassword(), Keys.ENTER);

        // Fleet overview.
        waitText(By.cssSelector("main h1"), "Fleet overview");
        waitFor(By.cssSelector(".cards .card.status-failing"));
        waitFor(By.cssSelector("svg.chart-daily"));
        assertEquals("Overview", driver.findElement(By.cssSelector("nav a[aria-current=page]")).getText());
        assertTrue(driver.findElement(By.id("who")).getText().contains("admin"));
        browser.screenshot("02-overview");

        // Failing devices: ours is listed; open it by keyboard.
        driver.findElement(By.linkText("Failing")).click();
        waitText(By.cssSelector("main h1"), "Failing devices");
        WebElement link = waitFor(By.cssSelector("a[href='#/devices/" + fleet.failing() + "']"));
        browser.screenshot("03-failing");
        link.sendKeys(Keys.ENTER);

        // Device page: history, streak, alert.
        waitText(By.cssSelector("main h1"), fleet.failingName());
        waitText(By.id("current-streak"), "3 failed syncs in a row");
        WebElement history = waitFor(By.xpath("//section[.//h2[normalize-space()='Sync history']]//table"));
        await("4 history rows", UI_WAIT, () -> history.findElements(By.cssSelector("tbody tr")).size() == 4);
        assertTrue(history.getText().contains("DISK_FULL"), history.getText());
        assertEquals(3, driver.findElements(By.cssSelector(".history-charts svg.chart")).size(), "three history charts");
        WebElement alerts = driver.findElement(By.xpath("//section[.//h2[normalize-space()='Alerts']]//table"));
        assertTrue(alerts.getText().contains("Open"), alerts.getText());
        // Times are shown in the viewer's zone (Nairobi, UTC+3) with UTC on hover.
        WebElement firstTime = history.findElement(By.cssSelector("tbody time"));
        assertTrue(firstTime.getAttribute("title").endsWith(" UTC"), firstTime.getAttribute("title"));
        assertNotEquals(firstTime.getAttribute("title").substring(11, 16), firstTime.getText().replaceAll(".*(\\d\\d:\\d\\d):\\d\\d.*", "$1"),
                "local time differs from UTC");
        browser.screenshot("04-device-failing");

        // Request a sync and follow its lifecycle.
        WebElement request = driver.findElement(By.id("request-sync"));
        assertTrue(request.isEnabled());
        request.click();
        String requestId = attribute(By.cssSelector("#sync-request-status[data-status=queued]"), "data-request-id");

        // The simulated device checks in (one more failed sync) and gets the request in `commands`.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JsonNode checkIn = deviceUpload(fleet.failingToken(),
                List.of(event(fleet.failing(), 5, now.minusSeconds(60), 0, 11, 0.5, "NET_TIMEOUT")));
        List<String> commandIds = new ArrayList<>();
        checkIn.path("commands").forEach(c -> commandIds.add(c.path("request_id").asText()));
        assertTrue(commandIds.contains(requestId), "the device got the request: " + checkIn);
        waitFor(By.cssSelector("#sync-request-status[data-status=delivered]"));
        browser.screenshot("05-request-delivered");

        // It syncs and answers the command: the request completes, the streak and the alert end.
        Map<String, Object> answer = event(fleet.failing(), 6, now, 57, 0, 9.8, null);
        answer.put("command_id", requestId);
        deviceUpload(fleet.failingToken(), List.of(answer));
        waitFor(By.cssSelector("#sync-request-status[data-status=completed]"));
        waitText(By.id("current-streak"), "Last sync succeeded");
        await("alert resolved in the UI", UI_WAIT, () -> driver.findElement(
                By.xpath("//section[.//h2[normalize-space()='Alerts']]//table")).getText().contains("Resolved"));
        await("6 history rows", UI_WAIT, () -> driver.findElements(
                By.xpath("//section[.//h2[normalize-space()='Sync history']]//table/tbody/tr")).size() == 6);
        browser.screenshot("06-request-completed");

        assertEquals(List.of(), browser.severeConsoleMessages().stream()
                .filter(m -> !m.contains("/v1/auth/login")) // the deliberate wrong password (401)
                .toList(), "no JavaScript errors");
    }

    @Test
    @Order(2)
    void theOtherScreensRenderAtLaptopAndTabletWidths() throws Exception {
        assumeSignedIn();
        driver.get(stack.url() + "/#/devices?site=" + fleet.site());
        waitText(By.cssSelector("main h1"), "Devices");
        WebElement table = waitFor(By.cssSelector(".list-body table"));
        await("3 devices of the site", UI_WAIT, () -> table.findElements(By.cssSelector("tbody tr")).size() == 3);
        assertEquals(fleet.site(), driver.findElement(By.name("site")).getAttribute("value"));
        browser.screenshot("07-devices");

        driver.get(stack.url() + "/#/errors?site=" + fleet.site());
        waitText(By.cssSelector("main h1"), "Errors across devices");
        await("errors listed", UI_WAIT, () -> driver.findElement(By.cssSelector(".list-body table")).getText().contains(fleet.failing()));
        browser.screenshot("08-errors");

        driver.get(stack.url() + "/#/alerts?state=all&site=" + fleet.site());
        waitText(By.cssSelector("main h1"), "Alerts");
        await("alert listed", UI_WAIT, () -> driver.findElement(By.cssSelector(".list-body table")).getText().contains(fleet.failing()));
        browser.screenshot("09-alerts");

        driver.get(stack.url() + "/#/users");
        waitText(By.cssSelector("main h1"), "Users");
        await("users listed", UI_WAIT, () -> driver.findElement(By.cssSelector(".list-body table")).getText().contains(stack.adminUser()));
        browser.screenshot("10-users");

        // Tablet (768 px wide): no horizontal page scroll; wide tables scroll inside their region.
        driver.manage().window().setSize(new Dimension(768, 1024));
        try {
            driver.get(stack.url() + "/#/devices/" + fleet.failing());
            waitText(By.id("current-streak"), "Last sync succeeded");
            waitFor(By.cssSelector(".history-charts svg.chart"));
            Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0, overflow.intValue(), "no horizontal page scroll at 768 px");
            browser.screenshot("11-device-tablet");
            driver.get(stack.url() + "/#/");
            waitFor(By.cssSelector("svg.chart-daily"));
            browser.screenshot("12-overview-tablet");
        } finally {
            driver.manage().window().setSize(new Dimension(1366, 900));
        }
    }

    @Test
    @Order(3)
    void keyboardOnlyNavigationAndSignOut() throws Exception {
        assumeSignedIn();
        driver.get(stack.url() + "/#/");
        waitText(By.cssSelector("main h1"), "Fleet overview");
        // Skip link, then the main navigation, by Tab alone.
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("document.getElementById('skip').focus()");
        active().sendKeys(Keys.ENTER);
        assertEquals("main", active().getAttribute("id"), "the skip link moves focus to the content");
        js.executeScript("document.getElementById('skip').focus()");
        active().sendKeys(Keys.TAB);
        assertEquals("Overview", active().getText());
        active().sendKeys(Keys.TAB);
        assertEquals("Devices", active().getText());
        active().sendKeys(Keys.ENTER);
        waitText(By.cssSelector("main h1"), "Devices");
        assertEquals("h1", active().getTagName(), "a new screen focuses its heading");
        // Tab into the search box (labelled), search by id prefix, Enter applies.
        active().sendKeys(Keys.TAB);
        assertEquals("q", active().getAttribute("name"));
        active().sendKeys(fleet.failing(), Keys.ENTER);
        await("search narrows the list to one device", UI_WAIT, () -> {
            List<WebElement> rows = driver.findElements(By.cssSelector(".list-body table tbody tr"));
            return rows.size() == 1 && rows.get(0).getText().contains(fleet.failing());
        });
        assertTrue(driver.getCurrentUrl().contains("q=" + fleet.failing()), "filters kept in the address: " + driver.getCurrentUrl());
        for (WebElement control : driver.findElements(By.cssSelector("main input, main select"))) {
            String id = control.getAttribute("id");
            assertFalse(driver.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty(), "label for #" + id);
        }
        for (WebElement table : driver.findElements(By.cssSelector("main table"))) {
            assertFalse(table.findElement(By.tagName("caption")).getAttribute("textContent").isBlank(), "table caption");
            assertFalse(table.findElements(By.cssSelector("thead th[scope=col]")).isEmpty(), "column headers");
        }
        // The access token is refreshed before it expires: pretend it expires in 61 s and reload.
        String before = (String) js.executeScript("""
                const s = JSON.parse(sessionStorage.getItem('pisync.session'));
                s.expiresAt = Date.now() + 61000;
                sessionStorage.setItem('pisync.session', JSON.stringify(s));
                return s.accessToken;""");
        driver.navigate().refresh();
        waitText(By.cssSelector("main h1"), "Devices");
        await("the access token refreshed", UI_WAIT, () -> !before.equals(js.executeScript(
                "return JSON.parse(sessionStorage.getItem('pisync.session')).accessToken")));
        driver.findElement(By.id("logout")).click();
        waitFor(By.id("login-form"));
        waitText(By.id("login-error"), "signed out");
        assertTrue(driver.findElements(By.cssSelector("#topbar:not([hidden])")).isEmpty(), "top bar hidden");
        browser.screenshot("13-signed-out");
        // Reloading does not sign back in: the session is gone.
        driver.navigate().refresh();
        waitFor(By.id("login-form"));
    }

    @Test
    @Order(4)
    void aViewerSeesEverythingButCannotChangeAnything() throws Exception {
        assumeTrue(driver != null, "no browser");
        assumeTrue(viewerUser != null, "no viewer user could be created");
        driver.get(stack.url() + "/#/devices/" + fleet.failing());
        waitFor(By.id("username")).sendKeys(viewerUser);
        driver.findElement(By.id("password")).sendKeys(viewerPassword, Keys.ENTER);
        waitText(By.id("current-streak"), "Last sync succeeded");
        assertTrue(driver.findElement(By.id("who")).getText().contains("viewer"));
        assertTrue(driver.findElements(By.linkText("Users")).isEmpty(), "no Users link for a viewer");
        WebElement request = driver.findElement(By.id("request-sync"));
        assertFalse(request.isEnabled(), "a viewer cannot request a sync");
        assertTrue(driver.findElement(By.cssSelector(".sync-request")).getText().contains("Only admins can request a sync"));
        browser.screenshot("14-device-viewer");
        driver.get(stack.url() + "/#/users");
        waitText(By.cssSelector("main"), "Only admins");
        driver.findElement(By.id("logout")).click();
        waitFor(By.id("login-form"));
    }

    // -------------------------------------------------------------------------------------------

    private void assumeSignedIn() {
        assumeTrue(driver != null, "no browser");
        driver.get(stack.url() + "/#/");
        new WebDriverWait(driver, UI_WAIT).until(d -> !d.findElements(By.cssSelector("main h1")).isEmpty());
        if (!driver.findElements(By.id("login-form")).isEmpty()) {
            driver.findElement(By.id("username")).sendKeys(stack.adminUser());
            driver.findElement(By.id("password")).sendKeys(stack.adminPassword(), Keys.ENTER);
            waitText(By.cssSelector("main h1"), "Fleet overview");
        }
    }

    private WebElement active() {
        return driver.switchTo().activeElement();
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(driver, UI_WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * An attribute of the element {@code by} finds, once it is there and not blank. Found and read in one step, again
     * and again: live updates re-render the page, and an element found a moment ago may be gone (stale).
     */
    private String attribute(By by, String name) {
        String[] value = new String[1];
        await(name + " of " + by, UI_WAIT, () -> {
            value[0] = driver.findElement(by).getAttribute(name);
            return value[0] != null && !value[0].isBlank();
        });
        return value[0];
    }

    private void waitText(By by, String text) {
        new WebDriverWait(driver, UI_WAIT).withMessage(() -> "waiting for '" + text + "' in " + by)
                .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    private static void await(String what, Duration max, java.util.function.BooleanSupplier condition) {
        Browser.await(what, max, condition);
    }
}
