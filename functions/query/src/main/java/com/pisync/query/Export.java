package com.pisync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.Page;
import com.pisync.aws.ports.SyncHistory;
import com.pisync.aws.views.Views;
import com.pisync.domain.ReceivedSyncEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/sync-events/export}: a device's or a site's sync history as a CSV or JSON download,
 * newest first, in parts of at most 100,000 rows and about 5 MB (Lambda answers at most 6 MB); the
 * {@code X-Next-Cursor} header continues it. A site's export goes device by device (in id order),
 * each device newest first: there is no fleet-wide index of every event, by design (it would double
 * the cost of storing an event).
 */
final class Export {

    static final int MAX_ROWS = 100_000;
    static final int MAX_BYTES = 5 * 1024 * 1024;
    static final String COLUMNS = "event_id,device_id,site,timestamp,seq,total_files_synced,total_errors,"
            + "internet_speed,error_code,error_message,pending_files,command_id,received_at,outcome";

    private final SyncHistory history;
    private final DeviceDirectory directory;
    private final DeviceQueries devices;
    private final Lists lists;
    private final Clock clock;

    Export(SyncHistory history, DeviceDirectory directory, DeviceQueries devices, Lists lists, Clock clock) {
        this.history = history;
        this.directory = directory;
        this.devices = devices;
        this.lists = lists;
        this.clock = clock;
    }

    APIGatewayV2HTTPResponse export(APIGatewayV2HTTPEvent event, com.pisync.aws.auth.Caller caller) {
        QueryParams p = new QueryParams(event);
        String format = p.oneOf("format", Set.of("csv", "json"));
        Instant from = p.time("from");
        Instant to = p.time("to");
        String deviceId = p.string("device_id", 64);
        String site = p.string("site", 64);
        if ((deviceId == null) == (site == null)) {
            p.error(deviceId == null ? "device_id" : "site", "give exactly one of device_id and site");
        }
        Lists.Request request = lists.open(event, p);
        boolean csv = format == null || format.equals("csv");

        StringBuilder body = new StringBuilder(csv ? COLUMNS + "\n" : "[");
        int rows = 0;
        String device = request.position() == null ? deviceId : request.at("device");
        String after = request.position() == null ? null : emptyToNull(request.at("after"));
        if (site != null && !caller.canSee(site)) {
            throw com.pisync.aws.http.ApiProblem.notFound("No site '" + site + "'."); // another site: as if unknown
        }
        if (deviceId != null) {
            devices.require(deviceId, caller);
        } else if (request.position() == null) {
            device = nextDeviceOfSite(site, null);
        }
        Map<String, String> next = null;
        while (device != null) {
            String siteOfDevice = site;
            Page<SyncHistory.Entry> page = history.newestFirst(device, after, 500);
            for (SyncHistory.Entry entry : page.items()) {
                ReceivedSyncEvent e = entry.event();
                after = entry.position();
                Instant t = e.event().timestamp();
                if ((from != null && t.isBefore(from)) || (to != null && !t.isBefore(to))) {
                    continue;
                }
                ObjectNode row = Views.syncEvent(e, entry.site() == null ? siteOfDevice : entry.site(), true);
                if (csv) {
                    appendCsv(body, row);
                } else {
                    body.append(rows == 0 ? "" : ",").append(row);
                }
                rows++;
                if (rows == MAX_ROWS || body.length() >= MAX_BYTES) {
                    break;
                }
            }
            boolean deviceDone = page.nextAfter() == null;
            if (rows == MAX_ROWS || body.length() >= MAX_BYTES) {
                if (!deviceDone || site != null) {
                    next = Map.of("device", device, "after", after == null ? "" : after);
                }
                break;
            }
            if (deviceDone) {
                device = site == null ? null : nextDeviceOfSite(site, device);
                after = null;
            }
        }
        if (!csv) {
            body.append(']');
        }
        String day = clock.instant().toString().substring(0, 10);
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json");
        headers.put("Content-Disposition", "attachment; filename=\"pisync-sync-events-" + day + (csv ? ".csv" : ".json") + "\"");
        headers.put("Cache-Control", "no-store");
        if (next != null) {
            headers.put("X-Next-Cursor", lists.next(request, next));
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                .withBody(body.toString()).withIsBase64Encoded(false).build();
    }

    private String nextDeviceOfSite(String site, String after) {
        Page<String> r = directory.page(DeviceDirectory.Filter.ofSite(site), after, 1);
        return r.items().isEmpty() ? null : r.items().get(0);
    }

    private static void appendCsv(StringBuilder out, ObjectNode row) {
        boolean first = true;
        for (String column : COLUMNS.split(",")) {
            out.append(first ? "" : ",");
            first = false;
            var v = row.get(column);
            if (v == null || v.isNull()) {
                continue;
            }
            String text = v.asText();
            // Quote what needs it, and defuse spreadsheet formulas in device-supplied text.
            if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !v.isNumber()) {
                text = "'" + text;
            }
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                text = "\"" + text.replace("\"", "\"\"") + "\"";
            }
            out.append(text);
        }
        out.append('\n');
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
