package com.pisync.domain;

public enum AlertState {
    OPEN("open"),
    RESOLVED("resolved");

    private final String wireName;

    AlertState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AlertState fromWireName(String name) {
        for (AlertState s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown alert state: " + name);
    }
}
