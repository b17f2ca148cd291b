package com.pisync.aws.dynamodb;

import com.pisync.aws.ports.IncidentLog;
import com.pisync.aws.ports.Page;
import com.pisync.domain.Incident;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link IncidentLog} on the incidents table: each page reads one page of an index ({@code all_incidents},
 * {@code by_state} or {@code by_site}), whatever the number of incidents.
 */
public final class DynamoIncidentLog implements IncidentLog {

    private static final List<String> SHARDS = IntStream.range(0, Shards.COUNT).mapToObj(Shards::name).toList();

    private final IncidentStore store;
    private final IndexPager pager;

    public DynamoIncidentLog(IncidentStore store, IndexPager pager) {
        this.store = store;
        this.pager = pager;
    }

    @Override
    public Page<Incident> newestFirst(String state, List<String> sites, String after, int limit) {
        String table = store.table();
        IndexPager.Query q;
        if (sites != null) {
            q = IndexPager.query(table, IncidentStore.BY_SITE, IncidentStore.SITE, sites, IncidentStore.OPENED_KEY, true);
            if (state != null) {
                q = q.withFilter("#fst = :fst", Map.of("#fst", IncidentStore.STATE),
                        Map.of(":fst", AttributeValue.fromS(state)));
            }
        } else if (state != null) {
            q = IndexPager.query(table, IncidentStore.BY_STATE, IncidentStore.STATE_SHARD,
                    SHARDS.stream().map(s -> state + "#" + s).toList(), IncidentStore.OPENED_KEY, true);
        } else {
            q = IndexPager.query(table, IncidentStore.ALL_INCIDENTS, IncidentStore.ALL_SHARD, SHARDS,
                    IncidentStore.OPENED_KEY, true);
        }
        IndexPager.Result r = pager.page(q, after, limit);
        return new Page<>(r.items().stream().filter(IncidentStore::isIncident).map(IncidentStore::fromItem).toList(),
                r.nextAfter());
    }

    @Override
    public Incident get(String incidentId) {
        IncidentStore.Stored stored = store.get(incidentId, false);
        return stored == null ? null : stored.incident();
    }

    @Override
    public List<String> devices(String incidentId) {
        return store.devices(incidentId);
    }

    @Override
    public String openIncidentId(String site) {
        return store.openIncidentId(site);
    }
}
