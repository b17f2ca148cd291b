package com.pisync.admin;

import static com.pisync.memory.DeviceBuilder.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.auth.Caller;
import com.pisync.aws.auth.DeviceTokens;
import com.pisync.aws.dynamodb.DeviceRegistry;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.views.Views;
import com.pisync.domain.Alert;
import com.pisync.domain.AlertState;
import com.pisync.domain.AlertTransition;
import com.pisync.domain.AuditEntry;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceState;
import com.pisync.domain.FieldError;
import com.pisync.domain.SyncRequest;
import com.pisync.memory.MemoryAlertLog;
import com.pisync.memory.MemoryAlertOutbox;
import com.pisync.memory.MemoryAuditLog;
import com.pisync.memory.MemoryDeviceCredentials;
import com.pisync.memory.MemoryDeviceRegistrar;
import com.pisync.memory.MemoryDevices;
import com.pisync.memory.MemoryPendingAlerts;
import com.pisync.memory.MemorySites;
import com.pisync.memory.MemorySyncRequestLog;
import com.pisync.memory.MemorySyncRequestQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an admin's device changes answer and leave behind, against in-memory ports. */
class DeviceAdminTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEW_DEVICE = """
            {"device_id": "pi-1", "name": "Lab 1", "type": "PiBook", "site": "north", "tags": ["lab"]}""";

    private final MemoryDevices devices = new MemoryDevices();
    private final MemoryAuditLog audit = new MemoryAuditLog();
    private final MemorySites sites = new MemorySites();
    private final MemorySyncRequestLog requests = new MemorySyncRequestLog();
    private final MemoryDeviceCredentials credentials = new MemoryDeviceCredentials();
    private final MemoryAlertOutbox outbox = new MemoryAlertOutbox(devices, new MemoryAlertLog());
    private final DeviceTokens tokens = new DeviceTokens("a-test-key-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8));
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final DeviceAdmin admin = new DeviceAdmin(new DeviceAdminPorts(
            new MemoryDeviceRegistrar(devices, new MemoryPendingAlerts(devices), audit,
                    DeviceRegistry.OfflineTimes.NO_CALENDAR, clock),
            sites, credentials, new MemorySyncRequestQueue(requests, audit), audit, devices, outbox),
            new Views.StatusPolicy(3, Duration.ofHours(24)), tokens, clock);

    private static AuditContext request(String requestId) {
        return new AuditContext("alice", requestId, "203.0.113.9", NOW);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode registerPi1() throws Exception {
        return body(admin.register(json(NEW_DEVICE), request("req-register")));
    }

    private AuditEntry onlyEntry(String action) {
        List<AuditEntry> found = audit.entries().stream().filter(e -> e.action().equals(action)).toList();
        assertEquals(1, found.size(), action + " entries: " + audit.entries());
        return found.get(0);
    }

    // --- register ---

    @Test
    void registerAnswers201WithTheDeviceAndATokenOfItsFirstCredential() throws Exception {
        APIGatewayV2HTTPResponse response = admin.register(json(NEW_DEVICE), request("req-register"));

        assertEquals(201, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals("pi-1", body.at("/device/device_id").asText());
        assertEquals("Lab 1", body.at("/device/name").asText());
        assertEquals("PiBook", body.at("/device/type").asText());
        assertEquals("north", body.at("/device/site").asText());
        assertEquals("lab", body.at("/device/tags/0").asText());
        assertEquals("never_synced", body.at("/device/status").asText());
        DeviceTokens.Credential token = tokens.verify(body.get("device_token").asText());
        assertEquals(new DeviceTokens.Credential("pi-1", 1), token);
        assertEquals(new MemoryDeviceCredentials.Credential(1, false), credentials.get("pi-1"));
        assertNotNull(sites.get("north"), "a site exists as soon as a device names it");
    }

    @Test
    void registerIsAuditedWithTheProfileAndNoToken() throws Exception {
        String token = registerPi1().get("device_token").asText();

        AuditEntry entry = onlyEntry("device.register");
        assertEquals("alice", entry.actor());
        assertEquals("pi-1", entry.targetId());
        assertEquals("req-register", entry.requestId());
        assertNull(entry.before());
        assertEquals("north", entry.after().get("site").asText());
        assertEquals("Lab 1", entry.after().get("name").asText());
        assertEquals("never_synced", entry.after().get("status").asText());
        assertFalse(entry.toString().contains(token), "the entry holds no token");
    }

    @Test
    void registeringADeviceThatExistsIs409AndChangesNothing() throws Exception {
        registerPi1();

        ApiProblem p = assertThrows(ApiProblem.class, () -> admin.register(json(NEW_DEVICE.replace("Lab 1", "Other")),
                request("req-other")));

        assertEquals(409, p.status());
        assertEquals("The device exists", p.title());
        assertEquals("A device 'pi-1' is already registered.", p.detail());
        assertEquals("Lab 1", devices.get("pi-1").name());
        assertEquals(1, audit.entries().size());
    }

    @Test
    void aRetriedRegisterAnswersAsTheFirstTime() throws Exception {
        JsonNode first = registerPi1();

        JsonNode again = registerPi1();

        assertEquals(first.get("device_token"), again.get("device_token"));
        assertEquals(1, devices.get("pi-1").tokenVersion());
        assertEquals(1, audit.entries().size());
    }

    @Test
    void aDecommissionedDeviceCannotBeRegisteredAgainNorGetATokenNorASyncRequest() throws Exception {
        devices.put(device("pi-1").site("north").decommissionedAt(NOW.minusSeconds(60)).build());

        ApiProblem register = assertThrows(ApiProblem.class, () -> admin.register(json(NEW_DEVICE), request("r1")));
        ApiProblem rotate = assertThrows(ApiProblem.class, () -> admin.rotateToken("pi-1", request("r2")));
        ApiProblem sync = assertThrows(ApiProblem.class, () -> admin.requestSync("pi-1", new byte[0], request("r3")));

        assertEquals(409, register.status());
        assertEquals("The device exists", register.title());
        for (ApiProblem p : List.of(rotate, sync)) {
            assertEquals(409, p.status());
            assertEquals("The device is decommissioned", p.title());
            assertEquals("Device 'pi-1' is decommissioned.", p.detail());
        }
        assertTrue(audit.entries().isEmpty());
        assertTrue(requests.newestFirst("pi-1", null, 10).items().isEmpty());
    }

    @Test
    void aDeviceThatReportedBeforeItWasRegisteredKeepsItsStateAndCountsItsCredentialOn() throws Exception {
        devices.put(device("pi-1").unregistered().healthy(NOW.minusSeconds(300), NOW.plus(Duration.ofHours(24)))
                .build());

        JsonNode body = registerPi1();

        assertEquals("healthy", body.at("/device/status").asText());
        assertEquals(2, tokens.verify(body.get("device_token").asText()).version());
        assertEquals(NOW.minusSeconds(300), devices.get("pi-1").state().lastSeenAt());
    }

    // --- scope of an admin bound to sites ---

    private static APIGatewayV2HTTPEvent withBody(String body) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setBody(body);
        return e;
    }

    @Test
    void anAdminBoundToASiteCannotPutADeviceAtAnotherSite() {
        Caller north = new Caller("nora", Set.of(Caller.ADMIN, Caller.siteGroup("north")));

        ApiProblem p = assertThrows(ApiProblem.class,
                () -> admin.checkScope(north, null, withBody(NEW_DEVICE.replace("north", "south"))));

        assertEquals(403, p.status());
        assertEquals(List.of("site"), p.errors().stream().map(FieldError::field).toList());
        assertTrue(p.detail().contains("'south'"), p.detail());
        admin.checkScope(north, null, withBody(NEW_DEVICE)); // its own site: allowed
    }

    @Test
    void anAdminBoundToASiteFindsNoDeviceOfAnotherSite() {
        devices.put(device("pi-s").site("south").build()).put(device("pi-n").site("north").build());
        Caller north = new Caller("nora", Set.of(Caller.ADMIN, Caller.siteGroup("north")));

        ApiProblem p = assertThrows(ApiProblem.class, () -> admin.checkScope(north, "pi-s", withBody(null)));

        assertEquals(404, p.status());
        assertEquals("No device 'pi-s'.", p.detail());
        admin.checkScope(north, "pi-n", withBody("{\"name\": \"renamed\"}"));
    }

    // --- patch ---

    @Test
    void patchChangesOnlyWhatTheBodyNamesAndListsANewSite() throws Exception {
        registerPi1();

        APIGatewayV2HTTPResponse response = admin.patch("pi-1", json("{\"name\": \"Lab 2\", \"site\": \"south\"}"),
                request("req-patch"));

        assertEquals(200, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals("Lab 2", body.get("name").asText());
        assertEquals("south", body.get("site").asText());
        assertEquals("PiBook", body.get("type").asText());
        assertEquals("lab", body.at("/tags/0").asText());
        assertNotNull(sites.get("south"));
        AuditEntry entry = onlyEntry("device.update");
        assertEquals("north", entry.before().get("site").asText());
        assertEquals("Lab 1", entry.before().get("name").asText());
        assertEquals("south", entry.after().get("site").asText());
        assertEquals("Lab 2", entry.after().get("name").asText());
    }

    @Test
    void patchingAnUnknownDeviceIs404() throws Exception {
        ApiProblem p = assertThrows(ApiProblem.class,
                () -> admin.patch("pi-9", json("{\"name\": \"x\"}"), request("req-patch")));

        assertEquals(404, p.status());
        assertEquals("No device 'pi-9'.", p.detail());
        assertTrue(audit.entries().isEmpty());
    }

    // --- decommission ---

    @Test
    void decommissionRevokesTheCredentialAndIsAudited() throws Exception {
        registerPi1();

        APIGatewayV2HTTPResponse response = admin.decommission("pi-1", request("req-delete"));

        assertEquals(204, response.getStatusCode());
        Device d = devices.get("pi-1");
        assertEquals(NOW, d.decommissionedAt());
        assertEquals("decommissioned", d.storedStatus());
        assertEquals(new MemoryDeviceCredentials.Credential(2, true), credentials.get("pi-1"));
        AuditEntry entry = onlyEntry("device.decommission");
        assertEquals("never_synced", entry.before().get("status").asText());
        assertEquals("decommissioned", entry.after().get("status").asText());
    }

    @Test
    void decommissioningAgainChangesNothingAndAnUnknownDeviceIs404() throws Exception {
        registerPi1();
        admin.decommission("pi-1", request("req-delete"));

        assertEquals(204, admin.decommission("pi-1", request("req-delete-again")).getStatusCode());
        assertEquals(2, devices.get("pi-1").tokenVersion());
        onlyEntry("device.decommission");
        assertEquals(404, assertThrows(ApiProblem.class, () -> admin.decommission("pi-9", request("r"))).status());
    }

    @Test
    void decommissionResolvesAndAnnouncesTheOpenAlert() throws Exception {
        Device failing = device("pi-1").site("north").failing(4, NOW.minusSeconds(3600), NOW.minusSeconds(60)).build();
        Alert open = new Alert("alert-1", "pi-1", "north", AlertState.OPEN, 3, NOW.minusSeconds(3600),
                NOW.minusSeconds(600), null, "disk full", null);
        devices.put(withOpenAlert(failing, open));

        admin.decommission("pi-1", request("req-delete"));

        List<AlertTransition> published = outbox.published();
        assertEquals(1, published.size());
        assertEquals(AlertTransition.Kind.RECOVERED, published.get(0).kind());
        assertEquals("alert-1", published.get(0).alert().alertId());
        assertEquals(NOW, published.get(0).alert().resolvedAt());
        assertNull(devices.get("pi-1").state().openAlert());
        assertTrue(devices.load("pi-1").outbox().isEmpty(), "published, so off the outbox");
    }

    private static Device withOpenAlert(Device d, Alert alert) {
        DeviceState s = d.state();
        return new Device(d.deviceId(), d.name(), d.type(), d.site(), d.tags(), d.createdAt(), d.registeredAt(),
                d.decommissionedAt(), d.tokenVersion(), d.storedStatus(), d.offlineAt(),
                new DeviceState(s.deviceId(), s.lastKey(), s.lastAttemptAt(), s.lastStatus(), s.lastSuccessKey(),
                        s.lastSyncAt(), s.lastFailureKey(), s.lastFailureAt(), s.lastError(), s.lastErrorCode(),
                        s.streak(), s.totalSyncs(), s.totalFailures(), s.pendingFiles(), s.lastSeenAt(), alert,
                        s.oldestPendingAt()));
    }

    // --- rotate token ---

    @Test
    void rotatingTheTokenMovesTheCredentialOnAndAuditsNoToken() throws Exception {
        registerPi1();

        APIGatewayV2HTTPResponse response = admin.rotateToken("pi-1", request("req-rotate"));

        assertEquals(200, response.getStatusCode());
        String token = body(response).get("device_token").asText();
        assertEquals(new DeviceTokens.Credential("pi-1", 2), tokens.verify(token));
        assertEquals(new MemoryDeviceCredentials.Credential(2, false), credentials.get("pi-1"));
        assertFalse(onlyEntry("device.rotate_token").toString().contains(token));
        assertEquals(404, assertThrows(ApiProblem.class, () -> admin.rotateToken("pi-9", request("r"))).status());
    }

    // --- sync requests ---

    @Test
    void aSyncRequestIsQueuedFor24HoursByDefaultAndAudited() throws Exception {
        registerPi1();

        APIGatewayV2HTTPResponse response = admin.requestSync("pi-1", new byte[0], request("req-sync"));

        assertEquals(202, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals("pi-1", body.get("device_id").asText());
        assertEquals("sync", body.get("type").asText());
        assertEquals("queued", body.get("status").asText());
        assertEquals(Instant.parse(body.get("requested_at").asText()).plus(Duration.ofHours(24)),
                Instant.parse(body.get("expires_at").asText()));
        assertEquals(NOW, Instant.parse(body.get("requested_at").asText()));
        List<SyncRequest> stored = requests.newestFirst("pi-1", null, 10).items();
        assertEquals(List.of(body.get("request_id").asText()), stored.stream().map(SyncRequest::requestId).toList());
        assertEquals(body, onlyEntry("sync_request.create").after());
    }

    @Test
    void ttlSecondsSetsTheExpiry() throws Exception {
        registerPi1();

        JsonNode body = body(admin.requestSync("pi-1", bytes("{\"ttl_seconds\": 3600}"), request("req-sync")));

        assertEquals(NOW.plus(Duration.ofHours(1)), Instant.parse(body.get("expires_at").asText()));
    }

    @Test
    void ttlSecondsOutsideOneMinuteToSevenDaysOrNotAnIntegerIs400NamingIt() throws Exception {
        registerPi1();
        for (String ttl : List.of("59", "604801", "90.5", "\"3600\"", "-1")) {
            ApiProblem p = assertThrows(ApiProblem.class,
                    () -> admin.requestSync("pi-1", bytes("{\"ttl_seconds\": " + ttl + "}"), request("req-" + ttl)),
                    ttl);

            assertEquals(400, p.status(), ttl);
            assertEquals(List.of(new FieldError("ttl_seconds", "must be an integer between 60 and 604800")),
                    p.errors(), ttl);
        }
        assertTrue(requests.newestFirst("pi-1", null, 10).items().isEmpty());
        assertEquals(202, admin.requestSync("pi-1", bytes("{\"ttl_seconds\": 60}"), request("r60")).getStatusCode());
    }

    @Test
    void aTwentyFirstOpenRequestIs409() throws Exception {
        registerPi1();
        for (int i = 0; i < 20; i++) {
            requests.put(SyncRequest.queue("pi-1", NOW.minusSeconds(60 + i), Duration.ofHours(1)));
        }

        ApiProblem p = assertThrows(ApiProblem.class, () -> admin.requestSync("pi-1", new byte[0], request("r")));

        assertEquals(409, p.status());
        assertEquals("Too many open sync requests", p.title());
        assertEquals("Device 'pi-1' already has 20 open sync requests; wait until it answers them.", p.detail());
        assertTrue(audit.entries().stream().noneMatch(e -> e.action().equals("sync_request.create")));
    }

    @Test
    void expiredRequestsDoNotCountAsOpen() throws Exception {
        registerPi1();
        for (int i = 0; i < 20; i++) {
            requests.put(SyncRequest.queue("pi-1", NOW.minus(Duration.ofHours(2)).minusSeconds(i),
                    Duration.ofHours(1)));
        }

        assertEquals(202, admin.requestSync("pi-1", new byte[0], request("r")).getStatusCode());
    }

    @Test
    void aRetriedSyncRequestAnswersTheFirstAndQueuesNoOther() throws Exception {
        registerPi1();
        JsonNode first = body(admin.requestSync("pi-1", new byte[0], request("req-sync")));

        JsonNode again = body(admin.requestSync("pi-1", new byte[0], request("req-sync")));

        assertEquals(first, again);
        assertEquals(1, requests.newestFirst("pi-1", null, 10).items().size());
    }

    @Test
    void aSyncRequestForADeviceNeverRegisteredIs404() {
        devices.put(device("pi-2").unregistered().build());

        for (String id : List.of("pi-2", "pi-9")) {
            ApiProblem p = assertThrows(ApiProblem.class, () -> admin.requestSync(id, new byte[0], request("r")));
            assertEquals(404, p.status());
            assertEquals("No device '" + id + "'.", p.detail());
        }
    }
}
