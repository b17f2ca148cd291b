package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs a paged read (Query or Scan) to the end, following LastEvaluatedKey. Where the order of the items is
 * defined (a table or an index with a sort key), the pages are kept one by one; where it is not (Scan, an index
 * without sort key) only the bag of all items and the total counts are, since page boundaries then differ too.
 */
final class Reads {

    /** More pages than any run can need: a server whose LastEvaluatedKey never advances would loop forever. */
    static final int MAX_PAGES = 300;

    /** One page of a read: its tree and the key to continue from (null or empty at the end). */
    record Page(Object tree, Map<String, AttributeValue> lastEvaluatedKey) {
    }

    private Reads() {
    }

    static Map<String, Object> all(Function<Map<String, AttributeValue>, Page> fetch, boolean ordered) {
        List<Object> pages = new ArrayList<>();
        List<Object> items = new ArrayList<>();
        long count = 0;
        long scanned = 0;
        Map<String, AttributeValue> start = null;
        boolean finished = false;
        for (int i = 0; i < MAX_PAGES && !finished; i++) {
            Page page = fetch.apply(start);
            @SuppressWarnings("unchecked")
            Map<String, Object> tree = (Map<String, Object>) page.tree();
            pages.add(tree);
            Object pageItems = tree.get("Items");
            if (pageItems instanceof List<?> list) {
                items.addAll(list);
            }
            count += ((Number) tree.getOrDefault("Count", 0)).longValue();
            scanned += ((Number) tree.getOrDefault("ScannedCount", 0)).longValue();
            start = page.lastEvaluatedKey();
            finished = start == null || start.isEmpty();
        }
        Map<String, Object> result = new TreeMap<>();
        if (!finished) {
            result.put("unfinished", "still a LastEvaluatedKey after " + MAX_PAGES + " pages");
        }
        if (ordered) {
            result.put("pages", pages);
        } else {
            Tree.putIfPresent(result, "items", new Tree.Bag(items));
            result.put("Count", count);
            result.put("ScannedCount", scanned);
        }
        return result;
    }
}
