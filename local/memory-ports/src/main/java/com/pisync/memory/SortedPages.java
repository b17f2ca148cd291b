package com.pisync.memory;

import com.pisync.aws.ports.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Pages through entries in the order of a sort key, as an index does: the position is the last key given
 * out, the next page starts after it, and a page has a next position exactly when entries follow.
 */
final class SortedPages {

    private SortedPages() {
    }

    /**
     * @param entries every entry the index holds (any order)
     * @param key the entry's sort key, unique within the index
     * @param descending the index read backwards
     */
    static <T> Page<T> page(List<T> entries, Function<T, String> key, boolean descending, String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        Comparator<String> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        List<T> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(key, order));
        List<T> page = new ArrayList<>();
        boolean more = false;
        for (T e : sorted) {
            if (after != null && order.compare(key.apply(e), after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(e);
        }
        return new Page<>(page, more ? key.apply(page.get(page.size() - 1)) : null);
    }

    /** The page's entries mapped (the position stays the entries' sort key). */
    static <T, R> Page<R> map(Page<T> page, Function<T, R> f) {
        return new Page<>(page.items().stream().map(f).toList(), page.nextAfter());
    }
}
