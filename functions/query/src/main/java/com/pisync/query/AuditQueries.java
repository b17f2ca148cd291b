package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.audit.AuditJson;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.views.Views;
import com.pisync.domain.AuditEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit log, newest first: {@code GET /v1/audit} (filters actor, target_id, action, from, to; each page
 * from the index of the most selective filter) and {@code GET /v1/audit/export} (a CSV or JSON download of a time
 * range, in parts like the sync-events export: at most 100,000 rows and about 5 MB, {@code X-Next-Cursor}
 * continues). Only for admins not bound to sites (checked by the handler).
 */
final class AuditQueries {

    private static final int EXPORT_PAGE = 100;

    private final DynamoAuditLog log;
    private final IndexPager pager;
    private final Lists lists;
    private final Clock clock;

    AuditQueries(DynamoAuditLog log, IndexPager pager, Lists lists, Clock clock) {
        this.log = log;
        this.pager = pager;
        this.lists = lists;
        this.clock = clock;
    }

    ObjectNode list(APIGatewayV2HTTPEvent event) {
        QueryParams p = new QueryParams(event);
        DynamoAuditLog.Filter filter = new DynamoAuditLog.Filter(p.string("actor", 128), p.string("target_id", 128),
                p.string("action", 64), p.time("from"), p.time("to"));
        checkRange(p, filter.from(), filter.to());
        Lists.Request request = lists.open(event, p);
        String after = request.at("after");
        DynamoAuditLog.Page page = log.page(pager, filter, after == null || after.isEmpty() ? null : after,
                request.limit());
        List<ObjectNode> items = page.entries().stream().map(AuditJson::view).toList();
        return Views.list(items, page.nextAfter() == null ? null
                : lists.next(request, Map.of("after", page.nextAfter())));
    }

    APIGatewayV2HTTPResponse export(APIGatewayV2HTTPEvent event) {
        QueryParams p = new QueryParams(event);
        String format = p.oneOf("format", Set.of("csv", "json"));
        Instant from = p.time("from");
        Instant to = p.time("to");
        checkRange(p, from, to);
        Lists.Request request = lists.open(event, p);
        boolean csv = format == null || format.equals("csv");
        DynamoAuditLog.Filter filter = new DynamoAuditLog.Filter(null, null, null, from, to);

        StringBuilder body = new StringBuilder(csv ? AuditJson.CSV_COLUMNS + "\n" : "[");
        int rows = 0;
        String after = request.at("after");
        after = after == null || after.isEmpty() ? null : after;
        String next = null;
        while (true) {
            DynamoAuditLog.Page page = log.page(pager, filter, after, EXPORT_PAGE);
            for (AuditEntry e : page.entries()) {
                ObjectNode row = AuditJson.view(e);
                if (csv) {
                    appendCsv(body, row);
                } else {
                    body.append(rows == 0 ? "" : ",").append(row);
                }
                rows++;
            }
            after = page.nextAfter();
            if (after == null) {
                break;
            }
            if (rows >= Export.MAX_ROWS - EXPORT_PAGE || body.length() >= Export.MAX_BYTES) {
                next = after;
                break;
            }
        }
        if (!csv) {
            body.append(']');
        }
        String day = clock.instant().toString().substring(0, 10);
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json");
        headers.put("Content-Disposition", "attachment; filename=\"pisync-audit-" + day + (csv ? ".csv" : ".json") + "\"");
        headers.put("Cache-Control", "no-store");
        if (next != null) {
            headers.put("X-Next-Cursor", lists.next(request, Map.of("after", next)));
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                .withBody(body.toString()).withIsBase64Encoded(false).build();
    }

    private static void checkRange(QueryParams p, Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            p.error("to", "must be after from");
        }
    }

    private static void appendCsv(StringBuilder out, ObjectNode row) {
        boolean first = true;
        for (String column : AuditJson.CSV_COLUMNS.split(",")) {
            out.append(first ? "" : ",");
            first = false;
            JsonNode v = row.get(column);
            if (v == null || v.isNull()) {
                continue;
            }
            String text = v.isContainerNode() ? v.toString() : v.asText();
            // Quote what needs it, and defuse spreadsheet formulas in user-supplied text (usernames, names).
            if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
                text = "'" + text;
            }
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                text = "\"" + text.replace("\"", "\"\"") + "\"";
            }
            out.append(text);
        }
        out.append('\n');
    }
}
