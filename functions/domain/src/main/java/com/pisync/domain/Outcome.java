package com.pisync.domain;

/** How a sync attempt ended. A sync failed when it reported any error. */
public enum Outcome {
    SUCCESS("success"),
    FAILED("failed");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Outcome of(long totalErrors) {
        return totalErrors > 0 ? FAILED : SUCCESS;
    }

    public static Outcome fromWireName(String name) {
        for (Outcome o : values()) {
            if (o.wireName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome: " + name);
    }
}
