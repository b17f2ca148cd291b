package com.pisync.aws.audit;

import com.pisync.domain.AuditEntry;

/**
 * The audit log's write port: append one entry. Append-only: there is no way to change or delete an entry
 * (the functions' IAM has no UpdateItem or DeleteItem on the audit table either).
 *
 * <p>One line for a route whose change is not a DynamoDB write of its own (Cognito, SNS):
 * {@code audit.record(AuditContext.of(request, clock).entry("subscription.create", "subscription", id, null, after));}.
 * A route that changes DynamoDB items should instead put the entry in the same TransactWriteItems as the change:
 * {@code com.pisync.aws.dynamodb.AuditItems.transactPut(auditTable, entry)} (see {@code DeviceRegistry}).
 */
public interface AuditLog {

    /**
     * Writes the entry unless an entry with its id exists (the same request retried): idempotent.
     *
     * @return true when this call wrote it, false when it was already there
     */
    boolean record(AuditEntry entry);

    /** True when an entry with this id exists (strongly consistent): the request that makes it was applied. */
    default boolean contains(String auditId) {
        return false;
    }

    /** For tests and handlers that do not audit (never for a function that changes something). */
    AuditLog NONE = entry -> true;
}
