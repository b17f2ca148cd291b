package com.pisync.aws.ports;

import java.util.List;

/**
 * One page of a read, in the order of the access pattern, and where the next page starts.
 *
 * @param nextAfter opaque position to pass back as {@code after}; null when nothing follows. A page may come
 *     back shorter than asked (filters apply after the read) and still have a next one.
 */
public record Page<T>(List<T> items, String nextAfter) {

    public Page {
        items = List.copyOf(items);
    }

    public static <T> Page<T> empty() {
        return new Page<>(List.of(), null);
    }
}
