package com.pisync.local.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.domain.SchoolCalendar;
import com.pisync.domain.SiteProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schools side of a simulated fleet (contract v1.1), each part optional:
 * <ul>
 *   <li>{@code schools}: the fleet spread over five sites with school calendars (PUT /v1/sites at start) in
 *       different time zones, one of them on holiday today; a device does not sync while its school is closed
 *       (outside school hours, on closed days and holidays).</li>
 *   <li>{@code outage}: the first site's network goes down for {@link #OUTAGE} every {@link #OUTAGE_EVERY}
 *       (the first time {@link #OUTAGE_AFTER} into the run): every sync of its devices fails, so they turn
 *       failing together and the site's incident opens, then resolves when the network is back.</li>
 *   <li>{@code pendingData}: one device in seven holds files it could not sync yet, for hours already (more
 *       hours for higher device numbers): the data-at-risk list, oldest first.</li>
 * </ul>
 */
public final class SchoolScenario {

    public static final Duration OUTAGE_AFTER = Duration.ofSeconds(20);
    public static final Duration OUTAGE = Duration.ofSeconds(90);
    public static final Duration OUTAGE_EVERY = Duration.ofMinutes(8);

    /** The sites the simulator names: id, time zone. */
    static final List<Map.Entry<String, String>> SITES = List.of(
            Map.entry("north-school", "Africa/Nairobi"), Map.entry("south-school", "Africa/Johannesburg"),
            Map.entry("east-campus", "Asia/Kolkata"), Map.entry("west-library", "America/Lima"),
            Map.entry("harbour-hub", "Europe/Lisbon"));
    /** The site whose network goes down with {@code outage}. */
    static final String OUTAGE_SITE = SITES.get(0).getKey();
    /** The site on holiday today with {@code schools}. */
    static final String HOLIDAY_SITE = SITES.get(SITES.size() - 1).getKey();

    public static final SchoolScenario NONE = new SchoolScenario(false, false, false);

    private final boolean schools;
    private final boolean outage;
    private final boolean pendingData;
    private final Map<String, SchoolCalendar> calendars = new ConcurrentHashMap<>();
    private volatile Instant started = Instant.now();

    public SchoolScenario(boolean schools, boolean outage, boolean pendingData) {
        this.schools = schools;
        this.outage = outage;
        this.pendingData = pendingData;
    }

    /** All three, as {@code ./pisync local --demo} runs them. */
    public static SchoolScenario demo() {
        return new SchoolScenario(true, true, true);
    }

    public boolean any() {
        return schools || outage || pendingData;
    }

    /** The site of device number {@code index} (1-based). */
    static String siteOf(int index) {
        return SITES.get(index % SITES.size()).getKey();
    }

    /**
     * The profiles to PUT before the fleet starts (site id → body), none without {@code schools} or
     * {@code outage}. School hours 06:00–20:00 Monday to Friday, an offline threshold of one school day; the
     * holiday site is closed today (its zone); the outage site keeps no calendar (open at any hour, so the outage
     * shows whenever the simulator runs) and opens an incident from 3 devices or half of them.
     */
    Map<String, ObjectNode> profiles(Instant now) {
        started = now;
        if (!schools && !outage) {
            return Map.of();
        }
        Map<String, ObjectNode> bodies = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> site : SITES) {
            ObjectNode p = Simulator.JSON.createObjectNode();
            p.put("name", title(site.getKey()));
            if (schools) {
                p.put("timezone", site.getValue());
                if (!site.getKey().equals(OUTAGE_SITE)) { // the outage site keeps no hours, so the demo works any time
                    ArrayNode days = p.putArray("school_days");
                    List.of("mon", "tue", "wed", "thu", "fri").forEach(days::add);
                    p.putObject("school_hours").put("from", "06:00").put("to", "20:00");
                    p.put("offline_after_hours", 14);
                }
                ArrayNode holidays = p.putArray("holidays");
                if (site.getKey().equals(HOLIDAY_SITE)) {
                    LocalDate today = LocalDate.ofInstant(now, ZoneId.of(site.getValue()));
                    holidays.addObject().put("from", today.toString()).put("to", today.toString())
                            .put("name", "Simulated holiday");
                }
            }
            p.put("incident_ratio", 0.5);
            p.put("incident_min_devices", 3);
            bodies.put(site.getKey(), p);
        }
        return bodies;
    }

    /** Remembers a site's calendar as the API answered the PUT (what "closed" means for its devices). */
    void calendar(String site, SiteProfile profile) {
        calendars.put(site, profile.calendar());
    }

    /** Whether a device of this site may sync now: always, unless its school is closed. */
    boolean open(String site, Instant now) {
        if (!schools) {
            return true;
        }
        SchoolCalendar c = calendars.get(site);
        return c == null || c.atSchool(now);
    }

    /** Whether the site's network is down now (every sync of its devices fails). */
    boolean networkDown(String site, Instant now) {
        if (!outage || !OUTAGE_SITE.equals(site)) {
            return false;
        }
        long into = Duration.between(started.plus(OUTAGE_AFTER), now).toMillis();
        return into >= 0 && into % OUTAGE_EVERY.toMillis() < OUTAGE.toMillis();
    }

    /**
     * Unsynced data a device holds: the files and since when, or null when it holds none (device number
     * {@code index}, 1-based).
     */
    Pending pending(int index, Instant now) {
        if (!pendingData || index % 7 != 3) {
            return null;
        }
        return new Pending(5 + index % 40, started.minus(Duration.ofHours(2 + index % 30)));
    }

    record Pending(int files, Instant since) {
    }

    private static String title(String id) {
        StringBuilder b = new StringBuilder();
        for (String w : id.split("-")) {
            b.append(b.length() == 0 ? "" : " ").append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return b.toString();
    }
}
