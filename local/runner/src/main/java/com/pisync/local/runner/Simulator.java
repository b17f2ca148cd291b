package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./pisync simulate}: a fleet of PiBooks and PiBoxes against a local or deployed PiSync. Registers its
 * devices through the admin API (signing in first), or reuses them with the tokens kept in a file, then has
 * every device upload its sync reports (one or a batch per request, failures, failure streaks, an offline
 * backlog, skewed clocks) at a given rate and concurrency, answering the sync requests it is handed like a real
 * device: the next sync carries the request's {@code command_id}. Ends with a summary: events sent, accepted,
 * rejected, errors, events/s and upload latency percentiles. Its command line: {@link SimulatorCommand}.
 *
 * <p>This class paces and runs the uploads; the devices ({@link SimulatedDevice}), the admin API
 * ({@link AdminApiClient}), the tokens file ({@link DeviceTokenFile}), the counts ({@link UploadTally}) and the
 * progress display ({@link ProgressLine}) live in their own classes.
 */
public final class Simulator {

    static final ObjectMapper JSON = new ObjectMapper();

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
    private final AdminApiClient admin;
    private final DeviceTokenFile tokens;
    private final UploadTally tally = new UploadTally();
    private volatile boolean stopping;
    private final Object pace = new Object();
    private long nextFreeNanos;
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
        this.admin = new AdminApiClient(options, http, base, out);
        this.tokens = new DeviceTokenFile(options.tokensFile(), base, out);
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

    /** Runs the simulation to its end (or {@link #stop()}). */
    public Summary run() {
        long started = System.nanoTime();
        admin.signIn();
        setUpSites();
        Map<String, DeviceTokenFile.Entry> saved = tokens.load();
        List<SimulatedDevice> fleet = new ArrayList<>();
        for (int i = 1; i <= options.devices(); i++) {
            String id = options.prefix() + String.format(Locale.ROOT, "%04d", i);
            DeviceTokenFile.Entry t = saved.get(id);
            fleet.add(new SimulatedDevice(options, runId, schools, i, id, t == null ? null : t.token(), t == null ? 0 : t.seq()));
        }
        admin.register(fleet);
        tokens.save(fleet);

        long eventsStarted = System.nanoTime();
        LinkedBlockingQueue<SimulatedDevice> ready = new LinkedBlockingQueue<>(fleet);
        AtomicInteger active = new AtomicInteger(fleet.size());
        CountDownLatch finished = new CountDownLatch(options.concurrency());
        ProgressLine progress = ProgressLine.start(options, tally, out, eventsStarted);
        Thread saver = tokens.startPeriodicSave(fleet);
        for (int w = 0; w < options.concurrency(); w++) {
            Thread t = new Thread(() -> {
                try {
                    while (active.get() > 0) {
                        SimulatedDevice d = ready.poll(100, TimeUnit.MILLISECONDS);
                        if (d == null) {
                            continue;
                        }
                        if (!done(d)) {
                            upload(d);
                        }
                        if (done(d)) {
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
        progress.stop();
        saver.interrupt();
        tokens.save(fleet);
        Summary s = tally.summary(seconds);
        if (!options.quiet()) {
            System.out.printf(Locale.ROOT, "Simulated %d devices against %s in %.1f s%n", fleet.size(), base,
                    (System.nanoTime() - started) / 1e9);
        }
        return s;
    }

    private boolean done(SimulatedDevice d) {
        return d.finished() || stopping;
    }

    /** The sites' profiles (calendars, incident thresholds) of the schools scenario, PUT once at the start. */
    private void setUpSites() {
        Instant now = Instant.now();
        for (Map.Entry<String, ObjectNode> p : schools.profiles(now).entrySet()) {
            HttpResponse<String> r = admin.callAsAdmin("PUT", "/v1/sites/" + URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8),
                    p.getValue());
            if (r.statusCode() != 200) {
                throw new SimulationException("setting the profile of site " + p.getKey() + " answered " + r.statusCode()
                        + ": " + AdminApiClient.abbreviate(r.body()));
            }
            schools.calendar(p.getKey(), com.pisync.domain.SiteProfile.parse(p.getKey(), AdminApiClient.parse(r.body()), now));
        }
        if (schools.any() && !options.quiet()) {
            out.printf(Locale.ROOT, "Schools: %s on holiday today, %s loses its network for %d s every %d min%n",
                    SchoolScenario.HOLIDAY_SITE, SchoolScenario.OUTAGE_SITE, SchoolScenario.OUTAGE.toSeconds(),
                    SchoolScenario.OUTAGE_EVERY.toMinutes());
        }
    }

    private void upload(SimulatedDevice d) {
        if (!schools.open(d.site, Instant.now())) {
            // School closed (outside its hours, a closed day or a holiday): the device does not sync now.
            d.schoolClosed();
            backoff(3);
            return;
        }
        List<ObjectNode> events = d.nextUpload(Instant.now());
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
        tally.sent(d.id, events);
        String json = body.toString();
        for (int attempt = 0; ; attempt++) {
            if (d.token == null) {
                tally.errors(events.size());
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
                tally.errors(events.size());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tally.errors(events.size());
                return;
            }
            tally.answeredAfter((System.nanoTime() - t0) / 1000);
            int status = r.statusCode();
            if (status == 202) {
                JsonNode response = AdminApiClient.parse(r.body());
                tally.taken(d.id, response, answered);
                d.queueRequests(response.path("commands"));
                return;
            }
            if (status == 401 && !d.rotatedOnce) {
                // The kept token no longer works (data folder wiped, token rotated): get a new one, once.
                d.rotatedOnce = true;
                d.token = admin.rotate(d.id);
                continue;
            }
            if ((status >= 500 || status == 429) && attempt < options.retries() && !stopping) {
                backoff(attempt);
                continue;
            }
            if (status == 400) {
                tally.rejected(events.size());
            } else {
                tally.errors(events.size());
                if (!options.quiet() && tally.errors() <= events.size() * 3L) {
                    out.println("\nupload of " + d.id + " answered " + status + ": " + AdminApiClient.abbreviate(r.body()));
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

    /** Waits a little longer after each failed attempt (100 ms, 200 ms, … at most 2 s). */
    static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(2000, 100L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events accepted so far (202s), while running. */
    long acceptedSoFar() {
        return tally.accepted();
    }

    /** For tests: the ids the run used, e.g. to match them with what is stored. */
    String runId() {
        return runId;
    }
}
