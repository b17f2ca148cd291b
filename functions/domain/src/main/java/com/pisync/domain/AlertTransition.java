package com.pisync.domain;

/** An alert opening or resolving: what the alerts topic announces. */
public record AlertTransition(Kind kind, Alert alert) {

    public enum Kind {
        FAILURE_STREAK("device.failure_streak"),
        RECOVERED("device.recovered");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        /** The {@code type} of the published message. */
        public String type() {
            return type;
        }

        public static Kind fromType(String type) {
            for (Kind k : values()) {
                if (k.type.equals(type)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown alert transition: " + type);
        }
    }

    /** Unique per transition, stable across retries: the key that keeps a publish from repeating. */
    public String id() {
        return alert.alertId() + "." + (kind == Kind.FAILURE_STREAK ? "opened" : "resolved");
    }
}
