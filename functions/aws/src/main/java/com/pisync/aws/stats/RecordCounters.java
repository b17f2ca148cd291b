package com.pisync.aws.stats;

import java.util.List;
import java.util.Objects;

/**
 * What one stream record adds to the counters (often nothing: most writes change no counted
 * attribute), with the record's sequence number.
 */
public record RecordCounters(String sequenceNumber, List<CounterUpdate> updates) {

    public RecordCounters {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        updates = List.copyOf(updates);
    }

    public static RecordCounters none(String sequenceNumber) {
        return new RecordCounters(sequenceNumber, List.of());
    }
}
