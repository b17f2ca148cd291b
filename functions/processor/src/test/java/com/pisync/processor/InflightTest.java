package com.pisync.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InflightTest {

    @Test
    void anUploadEntryNamesItsEventsAmongOtherKeysAndReadsBackAsWritten() {
        Inflight.PendingUpload older = Inflight.PendingUpload.of(List.of("q1#a", "q2#b"));
        Inflight.PendingUpload newer = Inflight.PendingUpload.of(List.of("q5#e", "q6#f", "q7#g"));
        Set<String> keys = Set.of("q0#late", "q1#a", "q2#b", "q3#single", "q5#e", "q6#f", "q7#g", "q8#after");

        Inflight read = Inflight.of(Inflight.entries(keys, List.of(older, newer)));

        assertEquals(keys, read.keys());
        assertEquals(Set.of(older, newer), Set.copyOf(read.uploads()));
        assertEquals(new Inflight.PendingUpload("q5#e", "q7#g", 3), newer);
        assertEquals("u3:q7#g", newer.entry());
    }

    @Test
    void anEntryWhoseEventsLeftTheSetIsDropped() {
        Inflight read = Inflight.of(Set.of("u2:q2#b", "q9#z"));

        assertEquals(List.of(), read.uploads());
        assertEquals(Set.of("q9#z"), read.keys());
    }
}
