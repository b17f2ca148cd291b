package com.pisync.browser;

import com.pisync.testbed.Totp;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's admin screens in a real browser: an admin registers a device (its token shown once and
 * working), rotates its token (the old one stops working), decommissions it after confirming, and the audit
 * page then shows the three entries with their actor; a viewer bound to one site sees only that site's
 * devices and no write controls; a user turns two-step sign-in on, signs in with a code, and turns it off again.
 * Screenshots: target/screenshots/admin-*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminScreensBrowserTest extends BrowserStackTest {


    @Test
    @Order(1)
    void anAdminRegistersRotatesAndDecommissionsADeviceAndTheAuditPageShowsIt() throws Exception {
        String site = "school-admin-" + run;
        String id = "pibook-adm" + run + "-01";
        signIn(stack.adminUser(), stack.adminPassword());

        // Register from the device list: the token is shown once, with a Copy button, and works.
        driver.get(stack.url() + "/#/devices");
        waitFor(By.id("register-link")).click();
        waitText(By.cssSelector("main h1"), "Register a device");
        driver.findElement(By.id("reg-device-id")).sendKeys(id);
        driver.findElement(By.id("reg-name")).sendKeys("PiBook A " + run);
        WebElement type = driver.findElement(By.id("reg-type"));
        type.clear();
        type.sendKeys("PiBook");
        driver.findElement(By.id("reg-site")).sendKeys(site);
        driver.findElement(By.id("register-submit")).click();
        WebElement token = waitFor(By.id("new-device-token"));
        String first = token.getAttribute("value");
        assertFalse(first.isBlank(), "the device token is shown");
        assertFalse(driver.findElements(By.cssSelector("button[data-copy-for='new-device-token']")).isEmpty(), "a Copy button");
        assertEquals(202, api.call("POST", "/v1/sync-events", event(id, 1), first).status(), "the shown token works");
        browser.screenshot("admin-01-registered");

        // The device page: rotate the token (a new one shown once; the old one stops working).
        driver.findElement(By.id("registered-link")).click();
        waitText(By.cssSelector("main h1"), "PiBook A " + run);
        waitFor(By.id("rotate-token")).click();
        await("a new token", () -> {
            List<WebElement> shown = driver.findElements(By.cssSelector("#rotated-token #new-device-token"));
            return !shown.isEmpty() && !shown.get(0).getAttribute("value").isBlank();
        });
        String second = driver.findElement(By.cssSelector("#rotated-token #new-device-token")).getAttribute("value");
        assertNotEquals(first, second);
        assertEquals(401, api.call("POST", "/v1/sync-events", event(id, 2), first).status(), "the old token stopped working");
        assertEquals(202, api.call("POST", "/v1/sync-events", event(id, 3), second).status(), "the new token works");
        browser.screenshot("admin-02-rotated");

        // Decommission, after a confirmation.
        driver.findElement(By.id("decommission")).click();
        WebElement yes = waitFor(By.id("decommission-yes"));
        assertTrue(driver.findElement(By.id("decommission-confirm")).getText().contains("Decommission " + id + "?"));
        browser.screenshot("admin-03-confirm");
        yes.click();
        waitFor(By.id("decommissioned-note"));
        await("the device shows decommissioned", () -> driver.findElement(By.cssSelector(".device-summary")).getText()
                .contains("Decommissioned"));
        assertEquals("decommissioned", api.expect(200, "GET", "/v1/devices/" + id, null, adminToken).path("status").asText());
        assertEquals(401, api.call("POST", "/v1/sync-events", event(id, 4), second).status());

        // The audit page, filtered on the device: the three changes, newest first, with their actor.
        driver.findElement(By.linkText("Audit")).click();
        waitText(By.cssSelector("main h1"), "Audit log");
        driver.findElement(By.id("audit-target")).sendKeys(id, Keys.ENTER);
        await("three audit entries", () -> rows().size() == 3);
        List<String> actions = new ArrayList<>();
        for (WebElement row : rows()) {
            actions.add(row.findElement(By.cssSelector(".audit-action")).getText());
            assertEquals(stack.adminUser(), row.findElement(By.cssSelector(".audit-actor")).getText());
        }
        assertEquals(List.of("device.decommission", "device.rotate_token", "device.register"), actions);
        assertFalse(driver.findElement(By.cssSelector("main")).getText().contains(second), "no token in the audit log");
        browser.screenshot("admin-04-audit");
        signOut();
    }

    @Test
    @Order(2)
    void aViewerBoundToASiteSeesOnlyThatSite() throws Exception {
        String mine = "school-mine-" + run;
        String other = "school-other-" + run;
        String a1 = "pibook-mine" + run + "-01";
        String a2 = "pibook-mine" + run + "-02";
        String b1 = "pibook-other" + run + "-01";
        for (String[] d : new String[][] {{a1, mine}, {a2, mine}, {b1, other}}) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("device_id", d[0]);
            body.put("name", "Bound " + d[0]);
            body.put("type", "PiBook");
            body.put("site", d[1]);
            api.expect(201, "POST", "/v1/devices", body, adminToken);
        }
        String user = "teacher-" + run;
        String password = "Teacher-" + UUID.randomUUID().toString().substring(0, 8) + "-Pw1!";
        api.expect(201, "POST", "/v1/users", Map.of("username", user, "password", password, "role", "viewer",
                "sites", List.of(mine)), adminToken);

        signIn(user, password);
        assertTrue(driver.findElement(By.id("who")).getText().contains("viewer"));
        driver.get(stack.url() + "/#/devices");
        waitText(By.cssSelector("main h1"), "Devices");
        await("only the two devices of the viewer's site", () -> {
            List<WebElement> r = rows();
            return r.size() == 2 && r.get(0).getText().contains(a1) && r.get(1).getText().contains(a2);
        });
        String list = driver.findElement(By.cssSelector(".list-body table")).getText();
        assertFalse(list.contains(b1), "another site's device is not listed: " + list);
        assertTrue(driver.findElements(By.id("register-link")).isEmpty(), "no Register button for a viewer");
        assertTrue(driver.findElements(By.linkText("Users")).isEmpty(), "no Users link");
        assertTrue(driver.findElements(By.linkText("Audit")).isEmpty(), "no Audit link");
        browser.screenshot("admin-05-site-viewer-devices");

        // Their site's device: no write controls. Another site's: as if it did not exist.
        driver.get(stack.url() + "/#/devices/" + a1);
        waitText(By.cssSelector("main h1"), "Bound " + a1);
        assertTrue(driver.findElements(By.id("rotate-token")).isEmpty(), "no Rotate token for a viewer");
        assertTrue(driver.findElements(By.id("decommission")).isEmpty(), "no Decommission for a viewer");
        assertFalse(driver.findElement(By.id("request-sync")).isEnabled());
        driver.get(stack.url() + "/#/devices/" + b1);
        waitText(By.cssSelector(".device-summary"), "No device with id " + b1);
        browser.screenshot("admin-06-site-viewer-other-site");
        signOut();
    }

    @Test
    @Order(3)
    void aUserTurnsOnTwoStepSignInAndThenSignsInWithACode() throws Exception {
        String user = "totp-" + run;
        String password = "Totp-" + UUID.randomUUID().toString().substring(0, 8) + "-Pw1!";
        api.expect(201, "POST", "/v1/users", Map.of("username", user, "password", password, "role", "viewer"), adminToken);
        signIn(user, password);
        driver.findElement(By.linkText("Account")).click();
        waitText(By.cssSelector("main h1"), "Your account");
        waitFor(By.id("totp-start")).click();
        String secret = waitFor(By.id("totp-secret")).getAttribute("value");
        assertTrue(driver.findElement(By.id("totp-uri")).getText().startsWith("otpauth://totp/PiSync:" + user + "?secret=" + secret));
        browser.screenshot("admin-07-totp-setup");
        driver.findElement(By.id("totp-code")).sendKeys(Totp.wrongCode(secret, Instant.now()), Keys.ENTER);
        waitText(By.id("totp-error"), "code");
        WebElement code = driver.findElement(By.id("totp-code"));
        code.clear();
        code.sendKeys(Totp.code(secret, Instant.now()), Keys.ENTER);
        waitFor(By.id("totp-enabled"));
        signOut();

        // The password, then the code: a wrong code is refused, the right one signs in.
        driver.get(stack.url() + "/#/");
        waitFor(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
        WebElement codeInput = waitFor(By.id("login-code"));
        waitText(By.cssSelector("main h1"), "Two-step sign-in");
        codeInput.sendKeys(Totp.wrongCode(secret, Instant.now()), Keys.ENTER);
        waitText(By.id("login-error"), "401");
        browser.screenshot("admin-08-totp-wrong-code");
        codeInput = driver.findElement(By.id("login-code"));
        codeInput.clear();
        codeInput.sendKeys(Totp.code(secret, Instant.now()), Keys.ENTER);
        waitFor(By.id("logout"));
        assertTrue(driver.findElement(By.id("who")).getText().contains(user));

        // Turning it off from the account view takes a current code: a wrong one is refused, the right one works,
        // and the next sign-in asks for the password alone.
        driver.findElement(By.linkText("Account")).click();
        WebElement off = waitFor(By.id("totp-off-code"));
        off.sendKeys(Totp.wrongCode(secret, Instant.now()), Keys.ENTER);
        waitText(By.id("totp-off-error"), "code");
        off = driver.findElement(By.id("totp-off-code"));
        off.clear();
        off.sendKeys(Totp.code(secret, Instant.now()), Keys.ENTER);
        waitFor(By.id("totp-disabled"));
        browser.screenshot("admin-09-totp-off");
        signOut();
        signIn(user, password); // no code asked
        assertTrue(driver.findElement(By.id("who")).getText().contains(user));
        signOut();
    }

    // -------------------------------------------------------------------------------------------

    private static Map<String, Object> event(String device, long seq) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("device_id", device);
        e.put("event_id", device + "-" + seq);
        e.put("seq", seq);
        e.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600 - seq).toString());
        e.put("total_files_synced", 5);
        e.put("total_errors", 0);
        e.put("internet_speed", 4.5);
        return e;
    }

    private void signIn(String user, String password) {
        driver.get(stack.url() + "/#/");
        waitFor(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
        waitFor(By.id("logout"));
    }

    private void signOut() {
        driver.findElement(By.id("logout")).click();
        waitFor(By.id("login-form"));
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
    }

    private List<WebElement> rows() {
        return driver.findElements(By.cssSelector(".list-body table tbody tr")).stream()
                .filter(r -> r.findElements(By.cssSelector("td.empty")).isEmpty()).toList();
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(driver, UI_WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void waitText(By by, String text) {
        new WebDriverWait(driver, UI_WAIT).withMessage(() -> "waiting for '" + text + "' in " + by)
                .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    private void await(String what, java.util.function.BooleanSupplier condition) {
        Browser.await(what, UI_WAIT, condition);
    }
}
