package com.pisync.processor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The device item's in-flight set as the recorder reads it: the keys of events applied but not yet seen in the
 * history, and among them the uploads that are to be stored as one entry ({@link PendingUpload}). A retry must
 * write such an upload whole, with exactly the events the commit applied, or not at all.
 */
record Inflight(Set<String> keys, List<PendingUpload> uploads) {

    /** Entries naming a pending upload start with it; order keys start with 'q' or 't'. */
    private static final char UPLOAD = 'u';

    Inflight {
        keys = Set.copyOf(keys);
        uploads = List.copyOf(uploads);
    }

    /**
     * An upload stored as one entry, by its oldest and newest event and its number of events: its events are the
     * in-flight keys in that range (nothing else is applied inside it before it is written).
     */
    record PendingUpload(String first, String last, int count) {

        static PendingUpload of(List<String> sortedKeys) {
            return new PendingUpload(sortedKeys.get(0), sortedKeys.get(sortedKeys.size() - 1), sortedKeys.size());
        }

        boolean holds(String orderKey) {
            return orderKey.compareTo(first) >= 0 && orderKey.compareTo(last) <= 0;
        }

        /**
         * "u" + number of events + ":" + newest key: its events are that many in-flight keys up to the newest. The
         * newest key is also one of the set's keys, so the compressed set stores it nearly for free.
         */
        String entry() {
            return UPLOAD + Integer.toString(count) + ":" + last;
        }
    }

    static Inflight of(Set<String> stored) {
        TreeSet<String> keys = new TreeSet<>();
        List<String> entries = new ArrayList<>();
        for (String entry : stored) {
            if (!entry.isEmpty() && entry.charAt(0) == UPLOAD) {
                entries.add(entry);
            } else {
                keys.add(entry);
            }
        }
        List<PendingUpload> uploads = new ArrayList<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            int count = Integer.parseInt(entry.substring(1, colon));
            String last = entry.substring(colon + 1);
            // its events, newest first: the entry's count of keys from its newest down
            List<String> events = keys.headSet(last, true).descendingSet().stream().limit(count).toList();
            if (events.size() == count && events.get(0).equals(last)) {
                uploads.add(new PendingUpload(events.get(count - 1), last, count));
            } // else its keys have left the set: it was seen stored
        }
        return new Inflight(keys, uploads);
    }

    /** The stored form: keys and upload entries in one set. */
    static Set<String> entries(Set<String> keys, List<PendingUpload> uploads) {
        Set<String> entries = new HashSet<>(keys);
        uploads.forEach(u -> entries.add(u.entry()));
        return entries;
    }
}
