package com.pisync.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 15's walk on the local runner, its functions' clock started on a Friday at 13:00 in the school's zone
 * ({@code PISYNC_CLOCK_START}) and moved by the test: a weekend passes and a school's devices, silent since Friday,
 * are still online on Monday morning (its calendar is Monday to Friday), while a device of a site without a
 * calendar, silent as long, is offline — after the offline sweep ran; then the school's three devices fail, one
 * site incident opens on the incidents page with exactly one {@code site.incident_opened} on the SNS topic, and
 * resolves when they recover with exactly one {@code site.incident_resolved}; the data-at-risk page puts the
 * device holding the oldest unsynced data first. Screenshots: target/screenshots/week-*.png.
 */
class SchoolWeekBrowserTest extends BrowserStackTest {

    static final ZoneId ZONE = ZoneId.of("Africa/Nairobi");
    /** The runner reads the alerts topic every 5 s and the stats run every 5 s: a notification shows within this. */
    static final Duration NOTIFICATION_WAIT = Duration.ofSeconds(40);

    private RunnerStack runner;

    @Override
    LocalStack openStack() throws Exception {
        String missing = RunnerStack.unavailable();
        if (missing != null || !System.getProperty("pisync.url", "").isBlank()) {
            throw new org.opentest4j.TestAbortedException("this walk moves the local runner's clock: it needs the runner "
                    + "in-process" + (missing == null ? " (not -Dpisync.url)" : ": " + missing));
        }
        runner = RunnerStack.start(Map.of("PISYNC_CLOCK_START", lastFridayAfternoon().toString()),
                List.of("--sweep-every", "2s"));
        return runner;
    }

    /** Friday 13:00 in the school's zone, over a week back (so the moved clock stays behind real time). */
    static Instant lastFridayAfternoon() {
        LocalDate weekAgo = LocalDate.now(ZONE).minusDays(7);
        return weekAgo.with(TemporalAdjusters.previousOrSame(DayOfWeek.FRIDAY)).atTime(LocalTime.of(13, 0))
                .atZone(ZONE).toInstant();
    }

    @Test
    void aWeekendPassesQuietlyAnIncidentOpensAndResolvesOnceAndTheOldestDataAtRiskComesFirst() throws Exception {
        String school = "week-school-" + run;
        String plain = "week-plain-" + run;
        api.expect(200, "PUT", "/v1/sites/" + school, Map.of("name", "Week school " + run, "timezone", ZONE.getId(),
                "school_days", List.of("mon", "tue", "wed", "thu", "fri"),
                "school_hours", Map.of("from", "08:00", "to", "15:00"),
                "offline_after_hours", 7, "incident_min_devices", 3, "incident_ratio", 0.5), adminToken);
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            tokens.put(device(i), register(device(i), school));
        }
        String loner = "pibox-week" + run;
        tokens.put(loner, register(loner, plain));

        // Friday 13:00: everyone syncs, then silence.
        Instant friday = runner.clockNow();
        assertEquals(DayOfWeek.FRIDAY, friday.atZone(ZONE).getDayOfWeek());
        for (Map.Entry<String, String> t : tokens.entrySet()) {
            upload(t.getKey(), t.getValue(), 0, 0, null);
        }
        awaitApi("the four first syncs", () -> tokens.keySet().stream().allMatch(d -> device(d).get("total_syncs").asInt() == 1));

        // The weekend passes: Monday 08:05 at the school. Its devices were silent two school hours (Friday 13:00-15:00)
        // of their seven; the site without a calendar counts all 67 hours of its 24.
        long sweepsBefore = runner.sweeps();
        runner.advanceClock(Duration.between(friday, friday.plus(Duration.ofDays(3)).minus(Duration.ofHours(5))
                .plus(Duration.ofMinutes(5))));
        Instant monday = runner.clockNow();
        assertEquals(DayOfWeek.MONDAY, monday.atZone(ZONE).getDayOfWeek());
        assertEquals(8, monday.atZone(ZONE).getHour());
        awaitApi("two offline sweeps after the weekend", () -> sweeps() >= sweepsBefore + 2);

        signIn();
        driver.get(stack.url() + "/#/devices?site=" + school);
        waitText(By.cssSelector("main"), device(3));
        for (int i = 1; i <= 3; i++) {
            assertEquals("healthy", device(device(i)).get("status").asText(), device(i) + " after the weekend");
        }
        assertTrue(driver.findElements(By.cssSelector("main .badge.status-offline")).isEmpty(), "an offline device at "
                + school + " after the weekend: " + driver.findElement(By.cssSelector("main")).getText());
        assertEquals(3, driver.findElements(By.cssSelector("main .badge.status-healthy")).size());
        browser.screenshot("week-01-monday-school-online");
        driver.get(stack.url() + "/#/devices/" + loner);
        waitFor(By.cssSelector(".device-summary .badge.status-offline"));
        assertEquals("offline", device(loner).get("status").asText());
        browser.screenshot("week-02-monday-no-calendar-offline");
        assertEquals(0, published("site.incident_opened", school), "an incident over the weekend");

        // Monday 08:05: the school's network breaks; every device fails three times in a row.
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i <= 3; i++) {
                upload(device(i), tokens.get(device(i)), 2, 0, null);
            }
        }
        driver.get(stack.url() + "/#/incidents?site=" + school);
        waitFor(By.cssSelector("main .badge.incident-open"));
        browser.screenshot("week-03-incident-open");
        awaitApi("one site.incident_opened", () -> published("site.incident_opened", school) == 1);

        // It comes back: the devices sync again, one with files waiting since Sunday 02:00, another with files waiting
        // five hours; the incident resolves.
        upload(device(1), tokens.get(device(1)), 0, 4, monday.minus(Duration.ofHours(5)));
        upload(device(2), tokens.get(device(2)), 0, 9, monday.minus(Duration.ofHours(30)));
        upload(device(3), tokens.get(device(3)), 0, 0, null);
        new WebDriverWait(driver, UI_WAIT).withMessage("the incident did not show resolved")
                .until(d -> !d.findElements(By.cssSelector("main .badge.incident-resolved")).isEmpty()
                        && d.findElements(By.cssSelector("main .badge.incident-open")).isEmpty());
        browser.screenshot("week-04-incident-resolved");
        awaitApi("one site.incident_resolved", () -> published("site.incident_resolved", school) == 1);
        // Two more stats windows and topic reads: still one of each.
        Thread.sleep(12_000);
        assertEquals(1, published("site.incident_opened", school), String.join("\n", runner.output()));
        assertEquals(1, published("site.incident_resolved", school), String.join("\n", runner.output()));
        JsonNode incidents = api.expect(200, "GET", "/v1/incidents?site=" + school, null, adminToken).get("items");
        assertEquals(1, incidents.size(), incidents.toString());
        assertEquals("resolved", incidents.get(0).get("state").asText());

        // Data at risk: the device holding files since Sunday first, then the one waiting five hours.
        driver.get(stack.url() + "/#/at-risk?site=" + school);
        waitText(By.cssSelector("main"), device(2));
        List<WebElement> rows = driver.findElements(By.cssSelector("main table tbody tr"));
        assertTrue(rows.size() >= 2, "two devices at risk: " + driver.findElement(By.cssSelector("main")).getText());
        assertTrue(rows.get(0).getText().contains(device(2)), rows.get(0).getText());
        assertTrue(rows.get(1).getText().contains(device(1)), rows.get(1).getText());
        browser.screenshot("week-05-at-risk");
    }

    private String device(int i) {
        return "pibook-week" + run + "-" + i;
    }

    private String register(String id, String site) {
        return api.expect(201, "POST", "/v1/devices", Map.of("device_id", id, "name", "Week " + id, "type", "PiBook",
                "site", site), adminToken).get("device_token").asText();
    }

    private JsonNode device(String id) {
        return api.expect(200, "GET", "/v1/devices/" + id, null, adminToken);
    }

    /** One sync a few seconds before the functions' now (later each time, so events stay in device order). */
    private void upload(String id, String token, int errors, int pending, Instant pendingSince) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("device_id", id);
        e.put("timestamp", runner.clockNow().truncatedTo(ChronoUnit.MILLIS).minusSeconds(2).toString());
        e.put("total_files_synced", errors > 0 ? 0 : 3);
        e.put("total_errors", errors);
        e.put("internet_speed", 2.5);
        if (errors > 0) {
            e.put("error_code", "E_NET");
            e.put("error_message", "school network down");
        }
        if (pending > 0) {
            e.put("pending_files", pending);
            e.put("oldest_pending_at", pendingSince.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        assertEquals(202, api.call("POST", "/v1/sync-events", e, token).status());
        Thread.sleep(20); // distinct timestamps per device
    }

    /** Notifications of {@code type} for {@code site} the runner read off the alerts topic. */
    private long published(String type, String site) {
        return runner.output().stream().filter(l -> l.contains("alert published to SNS: " + type + " " + site + " ")).count();
    }

    private long sweeps() {
        try {
            return runner.sweeps();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitApi(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + NOTIFICATION_WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + NOTIFICATION_WAIT + " for " + what);
            }
            Thread.sleep(250);
        }
    }

    private void signIn() {
        driver.get(stack.url() + "/#/");
        waitFor(By.id("username")).sendKeys(stack.adminUser());
        driver.findElement(By.id("password")).sendKeys(stack.adminPassword(), Keys.ENTER);
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
