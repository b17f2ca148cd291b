package com.pisync.aws.ports;

import com.pisync.domain.AuditEntry;

/** Audit entries by id: whether (and how) a request's change was already recorded, e.g. by a first attempt. */
public interface AuditEntries {

    /** The entry with this id (strongly consistent), or null. */
    AuditEntry get(String auditId);
}
