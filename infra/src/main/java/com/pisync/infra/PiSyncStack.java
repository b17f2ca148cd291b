package com.pisync.infra;

import com.pisync.infra.constructs.Admin;
import com.pisync.infra.constructs.Alerts;
import com.pisync.infra.constructs.Auth;
import com.pisync.infra.constructs.DashboardHosting;
import com.pisync.infra.constructs.DeviceTokenKey;
import com.pisync.infra.constructs.FleetStats;
import com.pisync.infra.constructs.FunctionFactory;
import com.pisync.infra.constructs.Identity;
import com.pisync.infra.constructs.Ingest;
import com.pisync.infra.constructs.LiveUpdates;
import com.pisync.infra.constructs.Monitoring;
import com.pisync.infra.constructs.ServerlessNag;
import com.pisync.infra.constructs.Processing;
import com.pisync.infra.constructs.Query;
import com.pisync.infra.constructs.Storage;
import com.pisync.infra.constructs.Sweeper;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * One PiSync stage ({@code PiSync-dev}, {@code PiSync-prod}): devices → HTTP API → ingest → SQS →
 * processor → DynamoDB (+ SNS alerts); the dashboard API (query, admin) on the same HTTP API; the
 * scheduled offline sweep; the stats function on the devices and sync_events streams; operator alarms
 * and a CloudWatch dashboard. Security: a Cognito user pool whose JWT authorizer guards every admin route,
 * the auth function (sign-in, users), and the device-token key shared by ingest (verifies) and admin (issues).
 */
public final class PiSyncStack extends Stack {

    private final StageConfig config;
    private final Storage storage;
    private final Alerts alerts;
    private final Processing processing;
    private final DeviceTokenKey deviceTokenKey;
    private final Identity identity;
    private final Ingest ingest;
    private final Query query;
    private final Admin admin;
    private final Auth auth;
    private final Sweeper sweeper;
    private final FleetStats fleetStats;
    private final LiveUpdates liveUpdates;
    private final Monitoring monitoring;
    private final DashboardHosting dashboardHosting;

    public PiSyncStack(Construct scope, StageConfig config, FunctionArtifacts artifacts, StackProps props) {
        super(scope, config.stackName(), props);
        this.config = config;
        Tags.of(this).add("project", "pisync");
        Tags.of(this).add("stage", config.stage());

        FunctionFactory functions = new FunctionFactory(config, artifacts);
        storage = new Storage(this, "Storage", config);
        storage.shareTableNames(functions);
        // Alert e-mails link to the dashboard (v1.1): its origin, when the stage names one.
        config.dashboardOrigin().ifPresent(origin -> functions.shareEnvironment("DASHBOARD_URL", origin));
        alerts = new Alerts(this, "Alerts", config);
        processing = new Processing(this, "Processing", functions, storage, alerts);
        deviceTokenKey = new DeviceTokenKey(this, "DeviceTokenKey", config);
        ingest = new Ingest(this, "Ingest", config, functions, processing.queue(), storage, deviceTokenKey);

        // Admin authorization: the Cognito JWT authorizer on every admin route (query, admin, /v1/users*).
        // Ingest.addDashboardRoute refuses a route without it; the only routes API Gateway does not
        // authorize are the Ingest.addPublicRoute ones (device ingest, health, sign-in), each saying why.
        identity = new Identity(this, "Identity", config);
        IHttpRouteAuthorizer adminAuthorizer = identity.authorizer();
        query = new Query(this, "Query", config, functions, storage, ingest, adminAuthorizer);
        admin = new Admin(this, "Admin", functions, storage, alerts, ingest, deviceTokenKey, adminAuthorizer);
        auth = new Auth(this, "Auth", functions, identity, query.cursorSigningKey(), ingest, storage);
        sweeper = new Sweeper(this, "Sweeper", config, functions, storage, alerts);
        fleetStats = new FleetStats(this, "FleetStats", functions, storage, alerts);
        liveUpdates = new LiveUpdates(this, "LiveUpdates", config, functions, storage, ingest, adminAuthorizer);

        monitoring = new Monitoring(this, "Monitoring", config);
        monitoring.watchHttpApi("Public", ingest.api());
        monitoring.watchFunction("Ingest", ingest.ingest());
        monitoring.watchFunction("Processor", processing.processor());
        monitoring.watchQueue("SyncEvents", processing.queue(), processing.deadLetterQueue());
        monitoring.watchFunction("Query", query.query());
        monitoring.watchFunction("Admin", admin.admin());
        monitoring.watchFunction("Auth", auth.auth());
        monitoring.watchFunction("Sweeper", sweeper.sweeper());
        monitoring.watchFunction("FleetStats", fleetStats.stats());
        monitoring.watchStreamConsumer("FleetStats", fleetStats.stats());
        monitoring.watchFunction("LiveTicket", liveUpdates.ticket());
        monitoring.watchFunction("LiveConnect", liveUpdates.connect());
        monitoring.watchFunction("LiveFanout", liveUpdates.fanout());
        monitoring.watchBusinessMetrics();
        Map<String, Table> tables = new LinkedHashMap<>(); // ordered: stable dashboard layout
        tables.put("Devices", storage.devices());
        tables.put("SyncEvents", storage.syncEvents());
        tables.put("Alerts", storage.alerts());
        tables.put("SyncRequests", storage.syncRequests());
        tables.put("Stats", storage.stats());
        tables.put("Sites", storage.sites());
        tables.put("Incidents", storage.incidents());
        tables.put("Audit", storage.audit());
        tables.put("Live", storage.live());
        monitoring.watchTables(tables);

        // The static dashboard (S3 + CloudFront); config.js points it at the API. CORS is NOT derived from the
        // distribution (the CSP names the API, so that would be a cycle): -c dashboardOrigin=https://<domain>.
        dashboardHosting = new DashboardHosting(this, "DashboardHosting", config,
                DashboardHosting.locateDashboardDir(), ingest.api(), liveUpdates.socketApi().getApiEndpoint());

        output("ApiUrl", ingest.stage().getUrl(), "Base URL of the PiSync HTTP API");
        output("AlertsTopicArn", alerts.topic().getTopicArn(), "SNS topic with device failure-streak alerts");
        output("QueueUrl", processing.queue().getQueueUrl(), "Sync events queue");
        output("DlqUrl", processing.deadLetterQueue().getQueueUrl(), "Sync events dead-letter queue");
        output("OperatorTopicArn", monitoring.operatorTopic().getTopicArn(), "SNS topic with operator alarms");
        output("LiveUrl", liveUpdates.stage().getUrl(), "WebSocket URL of live updates (tickets name it)");
        output("DashboardName", monitoring.dashboard().getDashboardName(), "CloudWatch dashboard");
        output("UserPoolId", identity.userPool().getUserPoolId(), "Cognito user pool of the dashboard operators");
        output("UserPoolClientId", identity.client().getUserPoolClientId(),
                "Cognito app client (no secret) used by /v1/auth/*; the JWT authorizer's audience");
        output("DashboardUrl", dashboardHosting.url(),
                "The dashboard (CloudFront); pass it as -c dashboardOrigin so the API allows it (CORS)");
        ServerlessNag.answerByDesign(this); // last: it answers for every event source and subscription above
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public StageConfig config() {
        return config;
    }

    public Storage storage() {
        return storage;
    }

    public Alerts alerts() {
        return alerts;
    }

    public Processing processing() {
        return processing;
    }

    public DeviceTokenKey deviceTokenKey() {
        return deviceTokenKey;
    }

    public Identity identity() {
        return identity;
    }

    public Auth auth() {
        return auth;
    }

    public Ingest ingest() {
        return ingest;
    }

    public Query query() {
        return query;
    }

    public Admin admin() {
        return admin;
    }

    public Sweeper sweeper() {
        return sweeper;
    }

    public FleetStats fleetStats() {
        return fleetStats;
    }

    public LiveUpdates liveUpdates() {
        return liveUpdates;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public DashboardHosting dashboardHosting() {
        return dashboardHosting;
    }
}
