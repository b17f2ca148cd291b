package com.pisync.aws.dynamodb;

import static com.pisync.aws.dynamodb.AttributeValues.instant;
import static com.pisync.aws.dynamodb.AttributeValues.n;
import static com.pisync.aws.dynamodb.AttributeValues.s;
import static com.pisync.aws.dynamodb.AttributeValues.string;
import static com.pisync.aws.dynamodb.AttributeValues.time;

import com.pisync.domain.SchoolCalendar;
import com.pisync.domain.SiteProfile;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The sites table (contract v1.1): one item per site, created when a device is registered or moved
 * to it (no profile yet: the defaults apply) or when an admin sets its profile. The {@code all_sites}
 * index (16 write shards by site id, sorted by site id, all attributes) lists them a page at a time.
 */
public final class SiteStore implements com.pisync.aws.ports.SiteNames {

    public static final String SITE = "site";
    public static final String LIST_SHARD = "list_shard";
    public static final String ALL_SITES = "all_sites";
    static final String NAME = "name";
    static final String TIMEZONE = "timezone";
    static final String SCHOOL_DAYS = "school_days";
    static final String SCHOOL_FROM = "school_from";
    static final String SCHOOL_TO = "school_to";
    static final String HOLIDAYS = "holidays";
    static final String OFFLINE_AFTER_HOURS = "offline_after_hours";
    static final String INCIDENT_RATIO = "incident_ratio";
    static final String INCIDENT_MIN_DEVICES = "incident_min_devices";
    static final String UPDATED_AT = "updated_at";
    static final String NAMED_AT = "named_at";
    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final DynamoDbClient dynamo;
    private final String table;

    public SiteStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The site's profile (the defaults when it has none set), or null when there is no item for it. */
    public SiteProfile get(String site, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(Map.of(SITE, s(site)))
                .consistentRead(consistent).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        return item == null || item.isEmpty() ? null : fromItem(item);
    }

    /** The profile that applies to a device of {@code site}: its own, or the defaults (also for no site). */
    public SiteProfile profileOf(String site, boolean consistent) {
        if (site == null) {
            return SiteProfile.defaults(null);
        }
        SiteProfile p = get(site, consistent);
        return p == null ? SiteProfile.defaults(site) : p;
    }

    /** Creates or replaces the profile (a repeated PUT writes the same item). */
    public void put(SiteProfile p, Instant namedAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(SITE, s(p.site()));
        item.put(LIST_SHARD, s(Shards.of(p.site())));
        item.put(NAME, s(p.name()));
        item.put(TIMEZONE, s(p.timezone()));
        item.put(SCHOOL_DAYS, AttributeValue.fromL(p.schoolDays().stream()
                .map(d -> s(SiteProfile.dayName(d))).toList()));
        if (p.schoolFrom() != null) {
            item.put(SCHOOL_FROM, n(p.schoolFrom()));
            item.put(SCHOOL_TO, n(p.schoolTo()));
        }
        item.put(HOLIDAYS, AttributeValue.fromL(p.holidays().stream().map(h -> {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put("from", s(h.from().toString()));
            m.put("to", s(h.to().toString()));
            if (h.name() != null) {
                m.put("name", s(h.name()));
            }
            return AttributeValue.fromM(m);
        }).toList()));
        item.put(OFFLINE_AFTER_HOURS, n(p.offlineAfterHours()));
        item.put(INCIDENT_RATIO, n(p.incidentRatio()));
        item.put(INCIDENT_MIN_DEVICES, n(p.incidentMinDevices()));
        if (p.updatedAt() != null) {
            item.put(UPDATED_AT, time(p.updatedAt()));
        }
        item.put(NAMED_AT, time(namedAt));
        dynamo.putItem(r -> r.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /** Makes the site exist (a device names it) without touching its profile; repeating it changes nothing. */
    @Override
    public void ensureNamed(String site, Instant now) {
        dynamo.updateItem(r -> r.tableName(table).key(Map.of(SITE, s(site)))
                .updateExpression("SET #shard = :shard, #named = if_not_exists(#named, :now)")
                .expressionAttributeNames(Map.of("#shard", LIST_SHARD, "#named", NAMED_AT))
                .expressionAttributeValues(Map.of(":shard", s(Shards.of(site)), ":now", time(now)))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /** A page of sites in site-id order, O(page) whatever the number of sites. */
    public record Page(List<SiteProfile> sites, String nextAfter) {
    }

    public Page page(IndexPager pager, String after, int limit) {
        IndexPager.Result r = pager.page(IndexPager.query(table, ALL_SITES, LIST_SHARD, SHARDS, SITE, false), after,
                limit);
        List<SiteProfile> sites = new ArrayList<>();
        r.items().forEach(item -> sites.add(fromItem(item)));
        return new Page(sites, r.nextAfter());
    }

    static SiteProfile fromItem(Map<String, AttributeValue> item) {
        String site = string(item, SITE);
        if (!item.containsKey(UPDATED_AT)) {
            return SiteProfile.defaults(site);
        }
        List<DayOfWeek> days = new ArrayList<>();
        AttributeValue d = item.get(SCHOOL_DAYS);
        if (d != null && d.hasL()) {
            List<String> names = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
            d.l().forEach(v -> days.add(DayOfWeek.of(names.indexOf(v.s()) + 1)));
        }
        List<SchoolCalendar.Holiday> holidays = new ArrayList<>();
        AttributeValue h = item.get(HOLIDAYS);
        if (h != null && h.hasL()) {
            h.l().forEach(v -> holidays.add(new SchoolCalendar.Holiday(LocalDate.parse(v.m().get("from").s()),
                    LocalDate.parse(v.m().get("to").s()), v.m().containsKey("name") ? v.m().get("name").s() : null)));
        }
        AttributeValue from = item.get(SCHOOL_FROM);
        AttributeValue to = item.get(SCHOOL_TO);
        return new SiteProfile(site, string(item, NAME), string(item, TIMEZONE),
                days.isEmpty() ? List.of(DayOfWeek.values()) : days,
                from == null ? null : Integer.parseInt(from.n()), to == null ? null : Integer.parseInt(to.n()), holidays,
                Double.parseDouble(item.get(OFFLINE_AFTER_HOURS).n()), Double.parseDouble(item.get(INCIDENT_RATIO).n()),
                Integer.parseInt(item.get(INCIDENT_MIN_DEVICES).n()), instant(item, UPDATED_AT));
    }
}
