package com.pisync.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The schools' screens (contract v1.1) in a real browser: the Sites page and a site's calendar editor, which
 * marks the fields the API's problem+json names and lists its messages, then saves; the data-at-risk page
 * ranks a device holding unsynced files; the incidents page and its e-mail subscriptions; the overview says
 * which sites are in incident. Screenshots: target/screenshots/schools-*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchoolScreensBrowserTest extends BrowserStackTest {


    @Test
    void theSchoolsScreensShowSitesCalendarsDataAtRiskAndIncidents() throws Exception {
        String site = "school-br-" + run;
        String id = "pibook-br" + run;
        String token = api.expect(201, "POST", "/v1/devices", Map.of("device_id", id, "name", "PiBook " + run,
                "type", "PiBook", "site", site), adminToken).get("device_token").asText();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("device_id", id);
        e.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60).toString());
        e.put("total_files_synced", 5);
        e.put("total_errors", 0);
        e.put("internet_speed", 4.5);
        e.put("pending_files", 12);
        e.put("oldest_pending_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(30)).toString());
        assertEquals(202, api.call("POST", "/v1/sync-events", e, token).status());

        signIn(stack.adminUser(), stack.adminPassword());
        // The overview says which sites are in incident.
        waitFor(By.id("h-incidents"));

        // A site's page: its health, and the calendar editor with the API's validation messages on their fields.
        driver.get(stack.url() + "/#/sites/" + site);
        waitText(By.cssSelector("main h1"), "Site " + site);
        waitFor(By.id("site-facts"));
        WebElement zone = waitFor(By.id("site-timezone"));
        zone.clear();
        zone.sendKeys("Mars/Olympus");
        WebElement holidays = driver.findElement(By.id("site-holidays"));
        holidays.clear();
        holidays.sendKeys("2026-12-24 2027-01-01 Winter break", Keys.ENTER, "2026-12-31 2027-01-02 Overlap");
        driver.findElement(By.id("site-save")).click();
        waitText(By.id("site-error"), "timezone");
        String errors = driver.findElement(By.id("site-error")).getText();
        assertTrue(errors.contains("holidays[1]"), errors);
        assertEquals("true", zone.getAttribute("aria-invalid"));
        assertEquals("true", holidays.getAttribute("aria-invalid"));
        browser.screenshot("schools-01-calendar-errors");

        zone.clear();
        zone.sendKeys("Africa/Nairobi");
        holidays.clear();
        holidays.sendKeys("2026-12-24 2027-01-01 Winter break");
        driver.findElement(By.id("site-save")).click();
        waitText(By.id("site-saved"), "Saved at");
        assertEquals(null, zone.getAttribute("aria-invalid"));
        waitText(By.id("site-facts"), "Africa/Nairobi");
        browser.screenshot("schools-02-calendar-saved");

        // The Sites page lists it; data at risk ranks the device holding files for 30 hours.
        driver.get(stack.url() + "/#/sites");
        waitText(By.cssSelector("main"), site);
        driver.get(stack.url() + "/#/at-risk?site=" + site);
        waitText(By.cssSelector("main"), "PiBook " + run);
        browser.screenshot("schools-03-at-risk");

        // Incidents, and e-mail subscriptions (pending until the address confirms).
        driver.get(stack.url() + "/#/incidents?site=" + site);
        waitText(By.cssSelector("main"), "No incident matches.");
        WebElement email = waitFor(By.id("sub-email"));
        email.sendKeys("it-" + run + "@school.example");
        driver.findElement(By.id("sub-sites")).sendKeys(site);
        driver.findElement(By.cssSelector("#sub-form button[type=submit]")).click();
        waitText(By.cssSelector("main"), "pending confirmation");
        browser.screenshot("schools-04-incidents");
    }

    private void signIn(String user, String password) {
        driver.get(stack.url() + "/#/");
        waitFor(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
        waitFor(By.id("logout"));
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(driver, UI_WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void waitText(By by, String text) {
        new WebDriverWait(driver, UI_WAIT).withMessage(() -> "waiting for '" + text + "' in " + by)
                .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }
}
