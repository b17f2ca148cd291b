package com.pisync.domain;

import java.util.List;

/**
 * What a device upload turned out to be: the valid events, in request order (duplicates within the
 * request included), and the refused ones with their reasons.
 */
public record SyncUpload(List<SyncEvent> accepted, List<Rejection> rejected) {

    public SyncUpload {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    /** One refused event of a batch; {@code index} is its position in the request. */
    public record Rejection(int index, List<FieldError> errors) {
        public Rejection {
            errors = List.copyOf(errors);
        }
    }
}
