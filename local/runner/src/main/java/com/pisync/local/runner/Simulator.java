package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./pisync simulate}: a fleet of PiBooks and PiBoxes against a local or deployed PiSync. Registers its
 * devices through the admin API (signing in first), or reuses them with the tokens kept in a file, then has
 * every device upload its sync reports (one or a batch per request, failures, failure streaks, an offline
 * backlog, skewed clocks) at a given rate and concurrency, answering the sync requests it is handed like a real
 * device: the next sync carries the request's {@code command_id}. Ends with a summary: events sent, accepted,
 * rejected, errors, events/s and upload latency percentiles. Its command line: {@link SimulatorCommand}.
 */
public final class Simulator {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SITES = {"north-school", "south-school", "east-campus", "west-library", "harbour-hub"};
    private static final String[] ERRORS = {"E_NETWORK", "E_TIMEOUT", "E_DISK_FULL", "E_CHECKSUM"};

    /** What to simulate. {@code eventsPerDevice} 0: keep going until {@link #stop()}. */
    public record Options(URI url, int devices, int eventsPerDevice, int batch, double failureRate, boolean streaks,
            boolean offlineBacklog, boolean clockSkew, double rate, int concurrency, String username, String password,
            Path tokensFile, String prefix, boolean progress, long seed, int retries, boolean quiet) {

        public static Options defaults() {
            return new Options(URI.create("http://127.0.0.1:8080"), 20, 10, 1, 0.1, false, false, false, 0, 8, "admin",
                    null, null, "sim-", true, System.nanoTime(), 3, false);
        }

        public Options withUrl(URI u) {
            return new Options(u, devices, eventsPerDevice, batch, failureRate, streaks, offlineBacklog, clockSkew, rate,
                    concurrency, username, password, tokensFile, prefix, progress, seed, retries, quiet);
        }

        public Options withFleet(int deviceCount, int events, int batchSize) {
            return new Options(url, deviceCount, events, batchSize, failureRate, streaks, offlineBacklog, clockSkew, rate,
                    concurrency, username, password, tokensFile, prefix, progress, seed, retries, quiet);
        }

        public Options withBehaviour(double failures, boolean withStreaks, boolean backlog, boolean skew) {
            return new Options(url, devices, eventsPerDevice, batch, failures, withStreaks, backlog, skew, rate,
                    concurrency, username, password, tokensFile, prefix, progress, seed, retries, quiet);
        }

        public Options withPace(double eventsPerSecond, int parallel) {
            return new Options(url, devices, eventsPerDevice, batch, failureRate, streaks, offlineBacklog, clockSkew,
                    eventsPerSecond, parallel, username, password, tokensFile, prefix, progress, seed, retries, quiet);
        }

        public Options withLogin(String user, String pass) {
            return new Options(url, devices, eventsPerDevice, batch, failureRate, streaks, offlineBacklog, clockSkew, rate,
                    concurrency, user, pass, tokensFile, prefix, progress, seed, retries, quiet);
        }

        public Options withFiles(Path tokens, String devicePrefix) {
            return new Options(url, devices, eventsPerDevice, batch, failureRate, streaks, offlineBacklog, clockSkew, rate,
                    concurrency, username, password, tokens, devicePrefix, progress, seed, retries, quiet);
        }

        /** The same fleet behaviour on every run (each device's failures and streaks follow from the seed). */
        public Options withSeed(long fixed) {
            return new Options(url, devices, eventsPerDevice, batch, failureRate, streaks, offlineBacklog, clockSkew, rate,
                    concurrency, username, password, tokensFile, prefix, progress, fixed, retries, quiet);
        }

        public Options withOutput(boolean showProgress, boolean beQuiet, int maxRetries) {
            return new Options(url, devices, eventsPerDevice, batch, failureRate, streaks, offlineBacklog, clockSkew, rate,
                    concurrency, username, password, tokensFile, prefix, showProgress, seed, maxRetries, beQuiet);
        }
    }

    /** What happened. Latencies are per upload request that got an HTTP answer, in milliseconds. */
    public record Summary(long sent, long accepted, long rejected, long errors, long commandsAnswered, long uploads,
            double seconds, double eventsPerSecond, double p50, double p95, double p99,
            Map<String, Set<String>> acceptedByDevice, Map<String, Set<String>> sentByDevice) {

        public String describe() {
            return String.format(Locale.ROOT, """
                    sent %d · accepted %d · rejected %d · errors %d · sync requests answered %d
                    %.1f events/s over %.1f s · upload latency p50 %.0f ms · p95 %.0f ms · p99 %.0f ms (%d uploads)""",
                    sent, accepted, rejected, errors, commandsAnswered, eventsPerSecond, seconds, p50, p95, p99, uploads);
        }
    }

    private final Options options;
    private final HttpClient http;
    private final String base;
    private final String runId;
    private final PrintStream out;
    private volatile boolean stopping;
    private final Map<String, Set<String>> accepted = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> sent = new ConcurrentHashMap<>();
    private final AtomicLong sentCount = new AtomicLong();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong rejectedCount = new AtomicLong();
    private final AtomicLong errorCount = new AtomicLong();
    private final AtomicLong commandsAnswered = new AtomicLong();
    private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
    private final Object pace = new Object();
    private long nextFreeNanos;
    private String accessToken;
    /** Sites with calendars, a site-wide outage, devices holding pending data (contract v1.1); none by default. */
    private volatile SchoolScenario schools = SchoolScenario.NONE;

    public Simulator(Options options) {
        this(options, System.err);
    }

    Simulator(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String u = options.url().toString().replaceAll("/+$", "");
        this.base = u.endsWith("/v1") ? u.substring(0, u.length() - 3) : u;
        this.runId = Long.toString(Math.abs(new Random(options.seed()).nextLong() ^ System.nanoTime()), 36).substring(0, 6);
    }

    /** Adds the schools scenario (see {@link SchoolScenario}); call before {@link #run()}. */
    public Simulator withSchools(SchoolScenario scenario) {
        this.schools = scenario;
        return this;
    }

    /** Ends a run early (a continuous one ends only so): devices finish their current upload. */
    public void stop() {
        stopping = true;
    }

    /** A failure that ends the simulation (cannot sign in, cannot register devices). */
    public static final class SimulationException extends RuntimeException {
        SimulationException(String message) {
            super(message);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------

    /** One simulated device: its token, its counter, its clock, its luck. */
    private final class Device {
        final String id;
        final int index;
        volatile String token;
        long seq;
        final Random random;
        final Duration skew;
        final ZoneOffset offset;
        final boolean streaky;
        final boolean backlog;
        final String site;
        int streakLeft;
        int remaining;
        boolean backlogSent;
        boolean rotatedOnce;
        final Deque<String> commands = new ArrayDeque<>();
        /** Requests already answered: listed again until the processor completes them, answered once. */
        final Set<String> answered = new LinkedHashSet<>();

        Device(int index, String id, String token, long seq) {
            this.index = index;
            this.id = id;
            this.token = token;
            this.seq = seq;
            // Mixed, not seed + index: java.util.Random's first draws for nearby seeds are correlated, which made whole
            // runs of devices streaky together (a fleet's failure share then ranged from 17 % to 50 % between seeds).
            this.random = new Random(new java.util.SplittableRandom(options.seed() * 31 + index).nextLong());
            this.skew = options.clockSkew() ? Duration.ofSeconds(random.nextInt(6 * 3600 + 1) - 3 * 3600) : Duration.ZERO;
            this.offset = options.clockSkew() ? ZoneOffset.ofHours(random.nextInt(25) - 12) : ZoneOffset.UTC;
            this.streaky = options.streaks() && (index % 5 == 0 || random.nextDouble() < 0.1);
            this.backlog = options.offlineBacklog() && (index % 4 == 1);
            this.site = SITES[index % SITES.length];
            this.remaining = options.eventsPerDevice() == 0 ? Integer.MAX_VALUE : options.eventsPerDevice();
        }

        boolean done() {
            return (remaining <= 0 && commands.isEmpty()) || stopping;
        }

        /** The next upload: a backlog first for an offline device, else up to a batch of new syncs. */
        List<ObjectNode> nextUpload(Instant now) {
            int count;
            Duration spacing;
            if (backlog && !backlogSent) {
                backlogSent = true;
                count = Math.min(remaining, Math.min(500, Math.max(options.batch() * 3, 12)));
                spacing = Duration.ofMinutes(20);
            } else {
                count = Math.min(remaining, options.batch());
                spacing = Duration.ofSeconds(30);
            }
            List<ObjectNode> events = new ArrayList<>();
            while (!commands.isEmpty() && events.size() < Math.max(1, count)) {
                String command = commands.poll();
                answered.add(command);
                events.add(event(now, command));
            }
            for (int i = events.size(); i < count; i++) {
                events.add(event(now, null));
            }
            remaining -= Math.min(remaining, count);
            // Oldest first, `spacing` apart, the newest now (device time).
            for (int i = 0; i < events.size(); i++) {
                Instant at = now.plus(skew).minus(spacing.multipliedBy(events.size() - 1 - i)).truncatedTo(ChronoUnit.MILLIS);
                events.get(i).put("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(at, offset)));
            }
            return events;
        }

        private ObjectNode event(Instant now, String commandId) {
            seq++;
            boolean failed;
            if (streakLeft > 0) {
                streakLeft--;
                failed = true;
            } else if (streaky && random.nextDouble() < 0.15) {
                streakLeft = 2 + random.nextInt(4); // this failure and 2–5 more: at least 3 in a row
                failed = true;
            } else {
                failed = random.nextDouble() < options.failureRate();
            }
            boolean networkDown = schools.networkDown(site, now);
            failed |= networkDown;
            ObjectNode e = JSON.createObjectNode();
            e.put("device_id", id);
            e.put("event_id", id + "-" + runId + "-" + seq);
            e.put("seq", seq);
            e.put("total_files_synced", failed ? random.nextInt(20) : 1 + random.nextInt(400));
            e.put("total_errors", failed ? 1 + random.nextInt(12) : 0);
            e.put("internet_speed", Math.round((0.5 + random.nextDouble() * 80) * 10) / 10.0);
            if (networkDown) {
                e.put("error_code", "E_NETWORK");
                e.put("error_message", "school network down: no route to the sync server");
                e.put("pending_files", 1 + random.nextInt(200));
            } else if (failed) {
                String code = ERRORS[random.nextInt(ERRORS.length)];
                e.put("error_code", code);
                e.put("error_message", "sync failed: " + code.toLowerCase(Locale.ROOT).substring(2).replace('_', ' '));
                e.put("pending_files", 1 + random.nextInt(200));
            } else {
                SchoolScenario.Pending pending = schools.pending(index, now);
                e.put("pending_files", pending == null ? 0 : pending.files());
                if (pending != null) {
                    e.put("oldest_pending_at", pending.since().toString());
                }
            }
            if (commandId != null) {
                e.put("command_id", commandId);
            }
            return e;
        }
    }

    // ----------------------------------------------------------------------------------------------------------------

    /** Runs the simulation to its end (or {@link #stop()}). */
    public Summary run() {
        long started = System.nanoTime();
        accessToken = login();
        setUpSites();
        Map<String, TokenEntry> saved = loadTokens();
        List<Device> fleet = new ArrayList<>();
        for (int i = 1; i <= options.devices(); i++) {
            String id = options.prefix() + String.format(Locale.ROOT, "%04d", i);
            TokenEntry t = saved.get(id);
            fleet.add(new Device(i, id, t == null ? null : t.token, t == null ? 0 : t.seq));
        }
        register(fleet);
        saveTokens(fleet);

        long eventsStarted = System.nanoTime();
        LinkedBlockingQueue<Device> ready = new LinkedBlockingQueue<>(fleet);
        AtomicInteger active = new AtomicInteger(fleet.size());
        CountDownLatch finished = new CountDownLatch(options.concurrency());
        Thread progress = startProgress(eventsStarted);
        Thread saver = startPeriodicSave(fleet);
        for (int w = 0; w < options.concurrency(); w++) {
            Thread t = new Thread(() -> {
                try {
                    while (active.get() > 0) {
                        Device d = ready.poll(100, TimeUnit.MILLISECONDS);
                        if (d == null) {
                            continue;
                        }
                        if (!d.done()) {
                            upload(d);
                        }
                        if (d.done()) {
                            active.decrementAndGet();
                        } else {
                            ready.add(d);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            }, "simulator-" + w);
            t.setDaemon(true);
            t.start();
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
        double seconds = (System.nanoTime() - eventsStarted) / 1e9;
        if (progress != null) {
            progress.interrupt();
            try {
                progress.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.println();
        }
        saver.interrupt();
        saveTokens(fleet);
        long[] lat;
        synchronized (latenciesMicros) {
            lat = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        Summary s = new Summary(sentCount.get(), acceptedCount.get(), rejectedCount.get(), errorCount.get(),
                commandsAnswered.get(), lat.length, seconds, seconds > 0 ? sentCount.get() / seconds : 0,
                percentile(lat, 50), percentile(lat, 95), percentile(lat, 99), copy(accepted), copy(sent));
        if (!options.quiet()) {
            System.out.printf(Locale.ROOT, "Simulated %d devices against %s in %.1f s%n", fleet.size(), base,
                    (System.nanoTime() - started) / 1e9);
        }
        return s;
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> m) {
        Map<String, Set<String>> c = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            synchronized (v) {
                c.put(k, Set.copyOf(v));
            }
        });
        return c;
    }

    private static double percentile(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, i))] / 1000.0;
    }

    /** The sites' profiles (calendars, incident thresholds) of the schools scenario, PUT once at the start. */
    private void setUpSites() {
        Instant now = Instant.now();
        for (Map.Entry<String, ObjectNode> p : schools.profiles(now).entrySet()) {
            HttpResponse<String> r = call("PUT", "/v1/sites/" + URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8),
                    p.getValue(), accessToken);
            if (r.statusCode() != 200) {
                throw new SimulationException("setting the profile of site " + p.getKey() + " answered " + r.statusCode()
                        + ": " + abbreviate(r.body()));
            }
            schools.calendar(p.getKey(), com.pisync.domain.SiteProfile.parse(p.getKey(), parse(r.body()), now));
        }
        if (schools.any() && !options.quiet()) {
            out.printf(Locale.ROOT, "Schools: %s on holiday today, %s loses its network for %d s every %d min%n",
                    SchoolScenario.HOLIDAY_SITE, SchoolScenario.OUTAGE_SITE, SchoolScenario.OUTAGE.toSeconds(),
                    SchoolScenario.OUTAGE_EVERY.toMinutes());
        }
    }

    private void upload(Device d) {
        if (!schools.open(d.site, Instant.now())) {
            // School closed (outside its hours, a closed day or a holiday): the device does not sync now.
            synchronized (d) {
                if (options.eventsPerDevice() > 0) {
                    d.remaining = 0; // a finite run: its syncs fall on a closed day
                }
            }
            backoff(3);
            return;
        }
        List<ObjectNode> events;
        synchronized (d) {
            events = d.nextUpload(Instant.now());
        }
        if (events.isEmpty()) {
            return;
        }
        long answered = events.stream().filter(e -> e.has("command_id")).count();
        throttle(events.size());
        JsonNode body;
        if (events.size() == 1 && options.batch() == 1) {
            body = events.get(0);
        } else {
            ObjectNode wrapper = JSON.createObjectNode();
            ArrayNode list = wrapper.putArray("events");
            events.forEach(list::add);
            body = wrapper;
        }
        Set<String> sentIds = sent.computeIfAbsent(d.id, k -> Collections.synchronizedSet(new LinkedHashSet<>()));
        events.forEach(e -> sentIds.add(e.get("event_id").asText()));
        sentCount.addAndGet(events.size());
        String json = body.toString();
        for (int attempt = 0; ; attempt++) {
            if (d.token == null) {
                errorCount.addAndGet(events.size());
                return;
            }
            HttpResponse<String> r;
            long t0 = System.nanoTime();
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/sync-events")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + d.token)
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt < options.retries() && !stopping) {
                    backoff(attempt);
                    continue;
                }
                errorCount.addAndGet(events.size());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errorCount.addAndGet(events.size());
                return;
            }
            latenciesMicros.add((System.nanoTime() - t0) / 1000);
            int status = r.statusCode();
            if (status == 202) {
                JsonNode response = parse(r.body());
                Set<String> ids = accepted.computeIfAbsent(d.id, k -> Collections.synchronizedSet(new LinkedHashSet<>()));
                response.path("accepted").forEach(id -> ids.add(id.asText()));
                acceptedCount.addAndGet(response.path("accepted").size());
                rejectedCount.addAndGet(response.path("rejected").size());
                commandsAnswered.addAndGet(answered);
                synchronized (d) {
                    for (JsonNode c : response.path("commands")) {
                        String requestId = c.path("request_id").asText(null);
                        if (requestId != null && !d.commands.contains(requestId) && !d.answered.contains(requestId)) {
                            d.commands.add(requestId);
                        }
                    }
                }
                return;
            }
            if (status == 401 && !d.rotatedOnce) {
                // The kept token no longer works (data folder wiped, token rotated): get a new one, once.
                d.rotatedOnce = true;
                d.token = rotate(d.id);
                continue;
            }
            if ((status >= 500 || status == 429) && attempt < options.retries() && !stopping) {
                backoff(attempt);
                continue;
            }
            if (status == 400) {
                rejectedCount.addAndGet(events.size());
            } else {
                errorCount.addAndGet(events.size());
                if (!options.quiet() && errorCount.get() <= events.size() * 3L) {
                    out.println("\nupload of " + d.id + " answered " + status + ": " + abbreviate(r.body()));
                }
            }
            return;
        }
    }

    private void throttle(int events) {
        if (options.rate() <= 0) {
            return;
        }
        long wait;
        synchronized (pace) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + (long) (events * 1e9 / options.rate());
            wait = start - now;
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(2000, 100L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------- admin calls

    private String login() {
        if (options.password() == null || options.password().isBlank()) {
            throw new SimulationException("no admin password: pass --password, set PISYNC_ADMIN_PASSWORD, or (locally) "
                    + "point --data-dir at the runner's data folder");
        }
        ObjectNode body = JSON.createObjectNode().put("username", options.username()).put("password", options.password());
        HttpResponse<String> r = call("POST", "/v1/auth/login", body, null);
        if (r.statusCode() != 200) {
            throw new SimulationException("sign-in as '" + options.username() + "' at " + base + " answered "
                    + r.statusCode() + ": " + abbreviate(r.body()));
        }
        return parse(r.body()).path("access_token").asText();
    }

    private void register(List<Device> fleet) {
        List<Device> missing = fleet.stream().filter(d -> d.token == null).toList();
        if (missing.isEmpty()) {
            return;
        }
        if (!options.quiet()) {
            out.printf(Locale.ROOT, "Registering %d device(s) at %s…%n", missing.size(), base);
        }
        LinkedBlockingQueue<Device> todo = new LinkedBlockingQueue<>(missing);
        List<Thread> workers = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < Math.min(options.concurrency(), missing.size()); w++) {
            Thread t = new Thread(() -> {
                Device d;
                while ((d = todo.poll()) != null && failures.isEmpty()) {
                    try {
                        d.token = registerOne(d);
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "simulator-register-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationException("interrupted while registering devices");
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private String registerOne(Device d) {
        boolean pibook = d.index % 5 != 0;
        ObjectNode body = JSON.createObjectNode()
                .put("device_id", d.id)
                .put("name", (pibook ? "PiBook " : "PiBox ") + d.id.substring(options.prefix().length()))
                .put("type", pibook ? "PiBook" : "PiBox")
                .put("site", SITES[d.index % SITES.length]);
        body.putArray("tags").add("simulated");
        HttpResponse<String> r = call("POST", "/v1/devices", body, accessToken);
        if (r.statusCode() == 201) {
            return parse(r.body()).path("device_token").asText();
        }
        if (r.statusCode() == 409) {
            return rotate(d.id); // registered earlier, token not kept here: issue a new one
        }
        throw new SimulationException("registering " + d.id + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
    }

    private String rotate(String deviceId) {
        HttpResponse<String> r = call("POST", "/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                + "/token", null, accessToken);
        if (r.statusCode() == 401) {
            accessToken = login(); // the access token expired during a long run
            r = call("POST", "/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8) + "/token", null,
                    accessToken);
        }
        if (r.statusCode() != 200) {
            if (r.statusCode() >= 400 && r.statusCode() < 500) {
                return null; // e.g. decommissioned: this device stays silent
            }
            throw new SimulationException("new token for " + deviceId + " answered " + r.statusCode() + ": "
                    + abbreviate(r.body()));
        }
        return parse(r.body()).path("device_token").asText();
    }

    private HttpResponse<String> call(String method, String path, JsonNode body, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new SimulationException("cannot reach " + base + " (" + e.getMessage() + "): is PiSync running?"
                        + " Start it with ./pisync local");
            } catch (IOException e) {
                if (attempt >= options.retries()) {
                    throw new SimulationException(method + " " + path + " failed: " + e);
                }
                backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationException("interrupted");
            }
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ---------------------------------------------------------------------------------------------- tokens file

    private record TokenEntry(String token, long seq) {
    }

    /** The tokens kept for this URL: {"<url>": {"<device id>": {"token": "...", "seq": n}}}. */
    private Map<String, TokenEntry> loadTokens() {
        Map<String, TokenEntry> tokens = new LinkedHashMap<>();
        Path file = options.tokensFile();
        if (file == null || !Files.isRegularFile(file)) {
            return tokens;
        }
        try {
            JsonNode all = JSON.readTree(file.toFile());
            all.path(base).fields().forEachRemaining(e -> tokens.put(e.getKey(),
                    new TokenEntry(e.getValue().path("token").asText(null), e.getValue().path("seq").asLong())));
        } catch (IOException e) {
            out.println("ignoring unreadable tokens file " + file + ": " + e.getMessage());
        }
        return tokens;
    }

    private synchronized void saveTokens(List<Device> fleet) {
        Path file = options.tokensFile();
        if (file == null) {
            return;
        }
        try {
            ObjectNode all = Files.isRegularFile(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
            ObjectNode mine = all.has(base) && all.get(base).isObject() ? (ObjectNode) all.get(base) : all.putObject(base);
            for (Device d : fleet) {
                if (d.token != null) {
                    long seq;
                    synchronized (d) {
                        seq = d.seq;
                    }
                    mine.putObject(d.id).put("token", d.token).put("seq", seq);
                }
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(tmp);
            }
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | ClassCastException e) {
            out.println("could not save device tokens to " + file + ": " + e.getMessage());
        }
    }

    private Thread startPeriodicSave(List<Device> fleet) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                saveTokens(fleet);
            }
        }, "simulator-save");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---------------------------------------------------------------------------------------------- progress

    private Thread startProgress(long startedNanos) {
        if (!options.progress() || options.quiet()) {
            return null;
        }
        boolean tty = System.console() != null;
        long total = options.eventsPerDevice() == 0 ? 0 : (long) options.devices() * options.eventsPerDevice();
        Thread t = new Thread(() -> {
            long lastLine = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(tty ? 200 : 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long now = System.nanoTime();
                double secs = Math.max(0.001, (now - startedNanos) / 1e9);
                long done = sentCount.get();
                String counters = String.format(Locale.ROOT, "%d%s events · accepted %d · rejected %d · errors %d · %.0f ev/s",
                        done, total > 0 ? "/" + total : "", acceptedCount.get(), rejectedCount.get(), errorCount.get(),
                        done / secs);
                if (tty) {
                    String bar = "";
                    if (total > 0) {
                        int width = 30;
                        int filled = (int) Math.min(width, done * width / total);
                        bar = "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] "
                                + String.format(Locale.ROOT, "%3d%% ", Math.min(100, done * 100 / total));
                    }
                    out.print("\r" + bar + counters + "   ");
                    out.flush();
                } else if (now - lastLine >= 5_000_000_000L) {
                    lastLine = now;
                    out.println(counters);
                }
            }
        }, "simulator-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Events accepted so far (202s), while running. */
    long acceptedSoFar() {
        return acceptedCount.get();
    }

    /** For tests: the ids the run used, e.g. to match them with what is stored. */
    String runId() {
        return runId;
    }
}
