package com.pisync.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.SnapStartPriming;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.dynamodb.DynamoAlertLog;
import com.pisync.aws.dynamodb.DynamoAuditLog;
import com.pisync.aws.dynamodb.DynamoDeviceDirectory;
import com.pisync.aws.dynamodb.DynamoIncidentLog;
import com.pisync.aws.dynamodb.DynamoSiteDirectory;
import com.pisync.aws.dynamodb.DynamoSyncHistory;
import com.pisync.aws.dynamodb.DynamoSyncRequestLog;
import com.pisync.aws.dynamodb.FailureRankIndex;
import com.pisync.aws.dynamodb.IncidentStore;
import com.pisync.aws.dynamodb.IndexPager;
import com.pisync.aws.dynamodb.SiteStore;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.Cursors;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.http.PathParams;
import com.pisync.aws.http.QueryParams;
import com.pisync.aws.ports.DeviceDirectory;
import com.pisync.aws.ports.FleetCounters;
import com.pisync.aws.stats.FleetStatsJson;
import com.pisync.aws.dynamodb.FleetStatsStore;
import com.pisync.aws.views.Views;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The dashboard's read-only function: every {@code GET /v1/...} route but auth. Read-only IAM, so a
 * bug here cannot change data; one function, so the dashboard's many small reads share warm
 * containers.
 */
public final class QueryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Every route this function serves, as API Gateway names them (the OpenAPI test checks them). */
    public static final List<String> ROUTES = List.of(
            "GET /v1/devices",
            "GET /v1/devices/failing",
            "GET /v1/devices/repeated-failures",
            "GET /v1/devices/at-risk",
            "GET /v1/sites",
            "GET /v1/sites/{site}",
            "GET /v1/incidents",
            "GET /v1/incidents/{incident_id}",
            "GET /v1/devices/{device_id}",
            "GET /v1/devices/{device_id}/sync-events",
            "GET /v1/devices/{device_id}/sync-requests",
            "GET /v1/sync-errors",
            "GET /v1/sync-events/export",
            "GET /v1/alerts",
            "GET /v1/stats/fleet",
            "GET /v1/audit",
            "GET /v1/audit/export");

    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "query-shard");
        t.setDaemon(true);
        return t;
    });

    private final DeviceQueries devices;
    private final HistoryQueries history;
    private final AlertQueries alerts;
    private final SyncRequestQueries syncRequests;
    private final Export export;
    private final AuditQueries audit;
    private final FleetCounters stats;
    private final SiteQueries sites;
    private final IncidentQueries incidents;
    private final RepeatedFailuresQuery repeatedFailures;
    private final Clock clock;
    private final SnapStartPriming priming = SnapStartPriming.register("query", this::prime);

    public QueryHandler() {
        this(AwsClients.fromEnvironment().dynamoDb(), PiSyncConfig.fromEnvironment(),
                Cursors.fromEnvironment(System.getenv()), Clock.systemUTC());
    }

    public QueryHandler(DynamoDbClient dynamo, PiSyncConfig config, Cursors cursors, Clock clock) {
        IndexPager pager = new IndexPager(dynamo, WORKERS);
        Lists lists = new Lists(cursors);
        Views.StatusPolicy policy = new Views.StatusPolicy(config.failureThreshold(), config.offlineWindow());
        DeviceDirectory directory = new DynamoDeviceDirectory(dynamo, pager, config.devicesTable());
        DynamoSyncHistory syncHistory = new DynamoSyncHistory(dynamo, pager, config.syncEventsTable());
        this.repeatedFailures = new RepeatedFailuresQuery(new FailureRankIndex(dynamo, config.devicesTable(), WORKERS),
                directory, lists, policy, clock);
        this.devices = new DeviceQueries(directory, lists, policy, clock);
        this.history = new HistoryQueries(syncHistory, syncHistory, lists, clock);
        this.alerts = new AlertQueries(new DynamoAlertLog(pager, config.alertsTable()), lists);
        this.syncRequests = new SyncRequestQueries(new DynamoSyncRequestLog(pager, config.syncRequestsTable()), lists,
                clock);
        this.export = new Export(syncHistory, directory, devices, lists, clock);
        this.stats = new FleetStatsStore(dynamo, config.statsTable());
        this.incidents = new IncidentQueries(new DynamoIncidentLog(new IncidentStore(dynamo, config.incidentsTable()),
                pager), lists);
        this.sites = new SiteQueries(new DynamoSiteDirectory(new SiteStore(dynamo, config.sitesTable()), pager),
                directory, stats, incidents, lists, policy, clock);
        this.audit = new AuditQueries(new DynamoAuditLog(dynamo, config.auditTable()), pager, lists, clock);
        this.clock = clock;
    }

    /** Runs what SnapStart runs before its snapshot; false when it failed. */
    public boolean primeNow() {
        return priming.primeNow();
    }

    /**
     * The dashboard's first page (authorisation, the sharded index Queries on their worker threads, the device
     * BatchGetItem, cursor signing, the JSON view) and a device that does not exist (GetItem, 404): read-only.
     */
    private void prime() {
        Map<String, String> viewer = Map.of("sub", "snapstart-priming", "username", "snapstart-priming",
                "cognito:groups", "[" + Caller.VIEWER + "]", "token_use", "access");
        var page = handleRequest(SnapStartPriming.apiRequest("GET /v1/devices", "/v1/devices", Map.of(), Map.of(), null,
                viewer), null);
        SnapStartPriming.expect(page.getStatusCode() == 200, "device list answered " + page.getStatusCode());
        var missing = handleRequest(SnapStartPriming.apiRequest("GET /v1/devices/{device_id}",
                "/v1/devices/pisync-snapstart-priming", Map.of("device_id", "pisync-snapstart-priming"), Map.of(), null,
                viewer), null);
        SnapStartPriming.expect(missing.getStatusCode() == 404, "unknown device answered " + missing.getStatusCode());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return HttpApi.handle(request, () -> {
            Caller caller = Caller.authorize(request, true); // viewers and admins may read
            return route(request, caller);
        });
    }

    /** Every route sees only what {@code caller} may: a user bound to sites, only those sites (Caller.canSee). */
    private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent request, Caller caller) {
        String route = HttpApi.route(request);
        String deviceId = route.contains("{device_id}") ? PathParams.deviceId(request) : null;
        return switch (route) {
            case "GET /v1/devices" -> HttpApi.json(200, devices.list(request, caller));
            case "GET /v1/devices/failing" -> HttpApi.json(200, devices.failing(request, caller));
            case "GET /v1/devices/repeated-failures" -> HttpApi.json(200, repeatedFailures.list(request, caller));
            case "GET /v1/devices/at-risk" -> HttpApi.json(200, sites.atRisk(request, caller));
            case "GET /v1/sites" -> HttpApi.json(200, sites.list(request, caller));
            case "GET /v1/sites/{site}" -> {
                String site = SiteQueries.siteParam(request);
                if (!caller.canSee(site)) {
                    throw ApiProblem.notFound("No site '" + site + "'."); // another site: as if unknown
                }
                yield HttpApi.json(200, sites.get(site));
            }
            case "GET /v1/incidents" -> HttpApi.json(200, incidents.list(request, caller));
            case "GET /v1/incidents/{incident_id}" -> HttpApi.json(200, incidents.get(request, caller));
            case "GET /v1/devices/{device_id}" -> HttpApi.json(200, devices.get(deviceId, caller));
            case "GET /v1/devices/{device_id}/sync-events" -> {
                devices.require(deviceId, caller);
                yield HttpApi.json(200, history.deviceHistory(request, deviceId));
            }
            case "GET /v1/devices/{device_id}/sync-requests" -> {
                devices.require(deviceId, caller);
                yield HttpApi.json(200, syncRequests.list(request, deviceId));
            }
            case "GET /v1/sync-errors" -> HttpApi.json(200, history.errors(request, caller));
            case "GET /v1/sync-events/export" -> export.export(request, caller);
            case "GET /v1/alerts" -> HttpApi.json(200, alerts.list(request, caller));
            case "GET /v1/audit" -> {
                caller.requireFleetAdmin("read the audit log");
                yield HttpApi.json(200, audit.list(request));
            }
            case "GET /v1/audit/export" -> {
                caller.requireFleetAdmin("read the audit log");
                yield audit.export(request);
            }
            case "GET /v1/stats/fleet" -> {
                QueryParams p = new QueryParams(request);
                String site = p.string("site", 64);
                p.check();
                if (site != null && !caller.canSee(site)) {
                    throw ApiProblem.notFound("No site '" + site + "'."); // another site: as if unknown
                }
                if (site == null && caller.siteBound()) {
                    // Without a site, a user bound to sites gets their sites together.
                    yield HttpApi.json(200, FleetStatsJson.render(com.pisync.aws.stats.FleetStats.sum(caller.sites()
                            .stream().sorted().map(s -> stats.read(s, clock.instant())).toList())));
                }
                yield HttpApi.json(200, FleetStatsJson.render(stats.read(site, clock.instant())));
            }
            default -> throw ApiProblem.notFound("No route " + route + ".");
        };
    }
}
