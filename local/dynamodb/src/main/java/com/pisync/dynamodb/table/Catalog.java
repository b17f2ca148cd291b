package com.pisync.dynamodb.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.dynamodb.DynamoException;
import com.pisync.dynamodb.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import com.pisync.dynamodb.storage.StoreMap;

/**
 * The tables, by name in ListTables order, each definition persisted as JSON in the store's
 * {@code catalog} map so that it commits with the data it describes.
 */
public final class Catalog {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Store store;
    private final StoreMap<String, String> persisted;
    private final StoreMap<String, String> stats;
    private final Map<String, Table> tables = new TreeMap<>();

    public Catalog(Store store) {
        this.store = store;
        this.persisted = store.stringMap("catalog");
        this.stats = store.stringMap("stats");
        for (Map.Entry<String, String> e : persisted.read().entrySet()) {
            tables.put(e.getKey(), new Table(store, read(e.getValue()), stats));
        }
    }

    public synchronized Table get(String name) {
        return tables.get(name);
    }

    /** The table, or ResourceNotFoundException with the short message item operations use. */
    public Table require(String name) {
        Table t = get(name);
        if (t == null) {
            throw DynamoException.resourceNotFound("Requested resource not found");
        }
        return t;
    }

    /** The table, or ResourceNotFoundException naming it, as table-level operations answer. */
    public Table requireNamed(String name) {
        Table t = get(name);
        if (t == null) {
            throw DynamoException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
        }
        return t;
    }

    public synchronized List<String> names() {
        return new ArrayList<>(tables.keySet());
    }

    public synchronized List<Table> tables() {
        return new ArrayList<>(tables.values());
    }

    public synchronized Table create(TableDefinition def) {
        persisted.put(def.name(), write(def));
        Table t = new Table(store, def, stats);
        tables.put(def.name(), t);
        return t;
    }

    /** Stores a changed definition of an existing table. */
    public synchronized void update(Table table, TableDefinition def) {
        persisted.put(def.name(), write(def));
        table.setDefinition(def);
    }

    /** Fills a newly added index from the table (under the writer lock). */
    public void backfill(Table table, IndexDefinition index) {
        table.backfill(index);
    }

    public synchronized void delete(Table table) {
        TableDefinition def = table.definition();
        persisted.remove(def.name());
        tables.remove(def.name());
        for (String map : table.mapNames()) {
            store.removeMap(map);
        }
        stats.remove(def.tableId());
        for (IndexDefinition i : def.allIndexes()) {
            stats.remove(def.tableId() + "/" + i.name());
        }
    }

    /** After UpdateTimeToLive: builds the expiry index when TTL turned on, drops it when off. */
    public void timeToLiveChanged(Table table) {
        if (table.definition().ttlEnabled()) {
            table.backfillTtl();
        } else {
            store.removeMap(Table.ttlMapName(table.definition()));
        }
    }

    /** Drops an index's map (UpdateTable Delete). */
    public void dropMap(String mapName) {
        store.removeMap(mapName);
    }

    private static TableDefinition read(String json) {
        try {
            return JSON.readValue(json, TableDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable table definition in the catalog: " + json, e);
        }
    }

    private static String write(TableDefinition def) {
        try {
            return JSON.writeValueAsString(def);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
