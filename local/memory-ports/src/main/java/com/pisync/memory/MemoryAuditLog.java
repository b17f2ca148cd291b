package com.pisync.memory;

import com.pisync.aws.audit.AuditLog;
import com.pisync.aws.ports.AuditEntries;
import com.pisync.domain.AuditEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit log in memory: append-only by entry id (writing an id again changes nothing), in the order written. */
public final class MemoryAuditLog implements AuditLog, AuditEntries {

    private final Map<String, AuditEntry> entries = new LinkedHashMap<>();

    @Override
    public synchronized boolean record(AuditEntry entry) {
        return entries.putIfAbsent(entry.auditId(), entry) == null;
    }

    @Override
    public synchronized boolean contains(String auditId) {
        return entries.containsKey(auditId);
    }

    @Override
    public synchronized AuditEntry get(String auditId) {
        return entries.get(auditId);
    }

    /** Every entry, in the order written. */
    public synchronized List<AuditEntry> entries() {
        return new ArrayList<>(entries.values());
    }
}
