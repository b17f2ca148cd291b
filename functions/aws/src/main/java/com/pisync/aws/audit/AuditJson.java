package com.pisync.aws.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.HttpApi;
import com.pisync.domain.AuditEntry;
import java.time.temporal.ChronoUnit;

/** An audit entry as the API shows it. */
public final class AuditJson {

    public static final String CSV_COLUMNS =
            "audit_id,at,actor,action,target_type,target_id,before,after,request_id,source_ip";

    private AuditJson() {
    }

    public static ObjectNode view(AuditEntry e) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("audit_id", e.auditId());
        n.put("at", e.at().truncatedTo(ChronoUnit.MILLIS).toString());
        n.put("actor", e.actor());
        n.put("action", e.action());
        n.put("target_type", e.targetType());
        n.put("target_id", e.targetId());
        n.set("before", e.before() == null ? HttpApi.JSON.nullNode() : e.before());
        n.set("after", e.after() == null ? HttpApi.JSON.nullNode() : e.after());
        n.put("request_id", e.requestId());
        n.put("source_ip", e.sourceIp());
        return n;
    }
}
