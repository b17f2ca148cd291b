package com.pisync.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * True cold starts of every PiSync function next to a hello-world Java handler: each run is a fresh JVM with the
 * real runtime interface client, on one CPU, answering the function's sample event against real local servers
 * (see {@link Fixture}). Every first response is checked (status 2xx, no batch failures). Prints a table per JVM
 * mode and writes it to {@code bench/target/coldstart.txt}.
 *
 * <pre>java -cp ... com.pisync.bench.coldstart.ColdStartBenchmark [--runs 10] [--modes default,c1]
 *     [--functions ingest,processor,...] [--no-diagnose]</pre>
 */
public final class ColdStartBenchmark {

    /** A deployed function as the CDK app defines it (infra constructs: handler, memory). */
    record LambdaFunction(String name, String handler, int memoryMb) {
        Path jar(Path repo) {
            return "hello-world".equals(name) ? repo.resolve("bench/target/coldstart/hello-world.jar")
                    : repo.resolve("functions/" + name + "/target/pisync-" + name + ".jar");
        }
    }

    static final LambdaFunction HELLO_WORLD =
            new LambdaFunction("hello-world", HelloWorldHandler.class.getName() + "::handleRequest", 512);

    static final List<LambdaFunction> FUNCTIONS = List.of(
            new LambdaFunction("admin", "com.pisync.admin.AdminHandler::handleRequest", 1024),
            new LambdaFunction("ingest", "com.pisync.ingest.IngestHandler::handleRequest", 512),
            new LambdaFunction("processor", "com.pisync.processor.ProcessorHandler::handleRequest", 512),
            new LambdaFunction("stats", "com.pisync.stats.StatsHandler::handleRequest", 512),
            new LambdaFunction("sweeper", "com.pisync.sweeper.OfflineSweepHandler::handleRequest", 512),
            new LambdaFunction("query", "com.pisync.query.QueryHandler::handleRequest", 1024),
            new LambdaFunction("auth", "com.pisync.auth.AuthHandler::handleRequest", 512),
            HELLO_WORLD);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Read before {@link #pinSelfAwayFromCpu0} narrows what this JVM sees. */
    private static final int MACHINE_CPUS = Runtime.getRuntime().availableProcessors();

    /** What a first response says, and whether it is the success the event asks for. */
    record Verdict(boolean ok, String status) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int runs = Integer.parseInt(options.getOrDefault("runs", "10"));
        List<ChildLambda.JvmMode> modes = Arrays.stream(options.getOrDefault("modes", "default,c1").split(","))
                .map(m -> m.equals("c1") ? ChildLambda.JvmMode.C1_ONLY : ChildLambda.JvmMode.DEFAULT).toList();
        List<String> only = options.containsKey("functions") ? List.of(options.get("functions").split(",")) : null;
        List<LambdaFunction> functions = FUNCTIONS.stream()
                .filter(f -> only == null || only.contains(f.name()) || f == HELLO_WORLD).toList();
        Path repo = repoRoot();
        Path out = repo.resolve("bench/target/coldstart.txt");

        pinSelfAwayFromCpu0();
        int exit = 1;
        try {
            ColdStartBenchmark bench = new ColdStartBenchmark(repo);
            String report = bench.measure(functions, modes, runs, !options.containsKey("no-diagnose"));
            System.out.println(report);
            Files.writeString(out, report);
            System.out.println("written to " + out);
            exit = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            System.exit(exit); // the shared local servers' threads would keep the JVM alive
        }
    }

    private final Path repo;
    private final ChildLambda child;

    ColdStartBenchmark(Path repo) throws IOException {
        this.repo = repo;
        writeHelloWorldJar(HELLO_WORLD.jar(repo));
        this.child = new ChildLambda(runtimeJars(), repo.resolve("bench/target/coldstart/logs"));
    }

    /** One cold start with a fresh fixture, for the smoke tests. */
    ChildLambda.Result coldStart(LambdaFunction function, ChildLambda.JvmMode mode) throws IOException, InterruptedException {
        Fixture fixture = new Fixture(repo);
        return child.run(function.name(), function.jar(repo), function.handler(), function.memoryMb(),
                fixture.event(function.name()), fixture.environment(), mode, "smoke", List.of());
    }

    String measure(List<LambdaFunction> functions, List<ChildLambda.JvmMode> modes, int runs, boolean diagnose)
            throws IOException, InterruptedException {
        for (LambdaFunction f : functions) {
            if (!Files.isRegularFile(f.jar(repo))) {
                throw new IllegalStateException("missing " + f.jar(repo) + ": build it first (mvn -B -ntp -q -pl bench -am install -DskipTests)");
            }
        }
        Map<String, List<ChildLambda.Result>> results = new LinkedHashMap<>();
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        // Round 0 warms the local servers and the page cache and is not counted.
        for (int round = 0; round <= runs; round++) {
            for (ChildLambda.JvmMode mode : modes) {
                Fixture fixture = new Fixture(repo); // fresh tables: every round's first invocations do the same work
                for (LambdaFunction f : functions) {
                    ChildLambda.Result r = child.run(f.name(), f.jar(repo), f.handler(), f.memoryMb(), fixture.event(f.name()),
                            fixture.environment(), mode, "run" + round, List.of());
                    Verdict v = verdict(f.name(), r.outcome());
                    if (!v.ok()) {
                        throw new IllegalStateException(f.name() + " (" + mode.name() + ") first response was not a success: "
                                + v.status() + " — " + abbreviate(r.outcome().body(), 600) + "; log " + r.log());
                    }
                    System.out.printf(Locale.ROOT, "round %d %-7s %-12s %7.0f ms (init %5.0f, first invocation %5.0f, CPU %5.0f)  %s%n",
                            round, mode.name(), f.name(), r.totalMs(), r.initMs(), r.invokeMs(), r.cpuMs(), v.status());
                    if (round > 0) {
                        results.computeIfAbsent(key(f.name(), mode), k -> new ArrayList<>()).add(r);
                        verdicts.put(key(f.name(), mode), v);
                    }
                }
            }
        }
        StringBuilder report = new StringBuilder();
        report.append("Cold starts through the Lambda runtime interface client 2.9.0, ").append(Instant.now()).append('\n');
        report.append("JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append("; child pinned to one CPU: ").append(ChildLambda.pinsToOneCpu() ? "taskset -c 0" : "no (taskset missing)")
                .append(" + -XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xshare:auto -XX:MaxRAM=<memory> -Xmx<85% of memory>\n");
        report.append("total = process start → runtime's POST .../response; init = start → first GET .../invocation/next; ")
                .append(runs).append(" runs per cell after one discarded warm-up round; CPU = the child's user+system CPU time at its\n")
                .append("first response (/proc, 10 ms ticks), which a busy machine inflates far less than wall time. Load average at the end: ")
                .append(String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage())).append(" on ").append(MACHINE_CPUS).append(" CPUs\n\n");
        for (ChildLambda.JvmMode mode : modes) {
            report.append(table(functions, mode, results, verdicts)).append('\n');
        }
        report.append("Events: ");
        report.append(functions.stream().map(f -> f.name() + " ← " + Fixture.eventFile(f.name())).collect(Collectors.joining("; ")));
        report.append("\n\n");
        if (diagnose) {
            report.append(classLoading(functions));
        }
        return report.toString();
    }

    private String table(List<LambdaFunction> functions, ChildLambda.JvmMode mode, Map<String, List<ChildLambda.Result>> results,
            Map<String, Verdict> verdicts) throws IOException {
        StringBuilder t = new StringBuilder();
        t.append("JVM mode: ").append(mode.name()).append(mode.javaToolOptions() == null ? " (JAVA_TOOL_OPTIONS unset)"
                : " (JAVA_TOOL_OPTIONS=" + mode.javaToolOptions() + ")").append('\n');
        t.append(String.format(Locale.ROOT, "| %-11s | %6s | %6s | %9s | %6s | %6s | %8s | %10s | %7s | %-5s | %7s | %7s | %s |%n",
                "function", "jar MB", "memory", "median ms", "min", "max", "init med", "invoke med", "× hello", "≤ 3×",
                "CPU ms", "CPU × h", "first response"));
        t.append("|-------------|-------:|-------:|----------:|-------:|-------:|---------:|-----------:|--------:|-------|--------:|--------:|----------------|\n");
        double hello = median(results.getOrDefault(key(HELLO_WORLD.name(), mode), List.of()).stream()
                .mapToDouble(ChildLambda.Result::totalMs).toArray());
        double helloCpu = median(results.getOrDefault(key(HELLO_WORLD.name(), mode), List.of()).stream()
                .mapToDouble(ChildLambda.Result::cpuMs).toArray());
        for (LambdaFunction f : functions) {
            List<ChildLambda.Result> rs = results.get(key(f.name(), mode));
            if (rs == null) {
                continue;
            }
            double[] total = rs.stream().mapToDouble(ChildLambda.Result::totalMs).toArray();
            double med = median(total);
            double ratio = med / hello;
            double cpu = median(rs.stream().mapToDouble(ChildLambda.Result::cpuMs).toArray());
            t.append(String.format(Locale.ROOT, "| %-11s | %6.1f | %6d | %9.0f | %6.0f | %6.0f | %8.0f | %10.0f | %7.2f | %-5s | %7.0f | %7.2f | %s |%n",
                    f.name(), Files.size(f.jar(repo)) / 1e6, f.memoryMb(), med,
                    Arrays.stream(total).min().orElse(0), Arrays.stream(total).max().orElse(0),
                    median(rs.stream().mapToDouble(ChildLambda.Result::initMs).toArray()),
                    median(rs.stream().mapToDouble(ChildLambda.Result::invokeMs).toArray()),
                    ratio, f == HELLO_WORLD ? "—" : ratio <= 3.0 ? "yes" : "NO", cpu, cpu / helloCpu,
                    verdicts.get(key(f.name(), mode)).status()));
        }
        return t.toString();
    }

    /** One untimed run per function with -Xlog:class+load: how many classes the first response needs, and from where. */
    private String classLoading(List<LambdaFunction> functions) throws IOException, InterruptedException {
        StringBuilder t = new StringBuilder("Classes loaded by the first response (one extra run each, -Xlog:class+load, JVM mode default)\n");
        t.append(String.format(Locale.ROOT, "| %-11s | %7s | %9s | %9s | %9s | %9s | %s |%n", "function", "classes",
                "from CDS", "JDK (jrt)", "app jars", "generated", "largest groups from the function jar"));
        t.append("|-------------|--------:|----------:|----------:|----------:|----------:|------|\n");
        Fixture fixture = new Fixture(repo);
        for (LambdaFunction f : functions) {
            Path classLog = repo.resolve("bench/target/coldstart/logs/" + f.name() + "-classes.log");
            Files.deleteIfExists(classLog);
            ChildLambda.Result r = child.run(f.name(), f.jar(repo), f.handler(), f.memoryMb(), fixture.event(f.name()),
                    fixture.environment(), ChildLambda.JvmMode.DEFAULT, "classes",
                    List.of("-Xlog:class+load=info:file=" + classLog));
            List<String> lines = Files.readAllLines(classLog);
            int cds = 0;
            int jrt = 0;
            int jars = 0;
            int generated = 0;
            Map<String, Integer> groups = new TreeMap<>();
            String jarName = f.jar(repo).getFileName().toString();
            for (String line : lines) {
                int at = line.indexOf("source: ");
                if (at < 0) {
                    continue;
                }
                String source = line.substring(at + 8);
                if (source.startsWith("shared objects file")) {
                    cds++;
                } else if (source.startsWith("jrt:/")) {
                    jrt++;
                } else if (source.startsWith("file:")) {
                    jars++;
                    if (source.contains(jarName)) {
                        String name = line.substring(line.indexOf("] ", line.indexOf("[class,load]")) + 2, at).trim();
                        groups.merge(group(name), 1, Integer::sum);
                    }
                } else {
                    generated++;
                }
            }
            String top = groups.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(6)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            t.append(String.format(Locale.ROOT, "| %-11s | %7d | %9d | %9d | %9d | %9d | %s |%n", f.name(),
                    cds + jrt + jars + generated, cds, jrt, jars, generated, top));
            if (!verdict(f.name(), r.outcome()).ok()) {
                t.append("  (this run's response was not a success: ").append(verdict(f.name(), r.outcome()).status()).append(")\n");
            }
        }
        return t.toString();
    }

    /** A readable package group: software.amazon.awssdk.services.dynamodb.model → awssdk.services.dynamodb.model. */
    private static String group(String className) {
        String[] parts = className.split("\\.");
        int depth = className.startsWith("software.amazon.awssdk.services.") ? 6
                : className.startsWith("software.amazon.awssdk.") ? 4
                : className.startsWith("com.fasterxml.jackson.") ? 4
                : className.startsWith("com.pisync.") ? 3 : 3;
        return String.join(".", Arrays.copyOf(parts, Math.min(depth, parts.length - 1)))
                .replace("software.amazon.", "").replace("com.fasterxml.", "");
    }

    static Verdict verdict(String function, RuntimeApiServer.Outcome outcome) {
        if (!outcome.succeeded()) {
            return new Verdict(false, outcome.kind() + ": " + abbreviate(outcome.body(), 300));
        }
        try {
            JsonNode body = JSON.readTree(outcome.body());
            return switch (function) {
                case "ingest", "query", "admin", "auth", "hello-world" -> {
                    int status = body.path("statusCode").asInt();
                    boolean ok = status == switch (function) {
                        case "ingest" -> 202;
                        case "admin" -> 201;
                        default -> 200;
                    };
                    yield new Verdict(ok, status + " " + detail(function, body));
                }
                case "processor", "stats" -> {
                    int failures = body.path("batchItemFailures").size();
                    yield new Verdict(failures == 0 && body.has("batchItemFailures"),
                            "ok, " + failures + " batchItemFailures");
                }
                case "sweeper" -> new Verdict(body.isTextual() && !body.asText().isBlank(), "ok " + abbreviate(body.asText(), 60));
                default -> new Verdict(false, "unknown function");
            };
        } catch (IOException e) {
            return new Verdict(false, "not JSON: " + abbreviate(outcome.body(), 200));
        }
    }

    private static String detail(String function, JsonNode response) throws IOException {
        String raw = response.path("body").asText("");
        JsonNode body = raw.startsWith("{") || raw.startsWith("[") ? JSON.readTree(raw) : null;
        if (body == null) {
            return abbreviate(raw, 40);
        }
        return switch (function) {
            case "ingest" -> "accepted " + body.path("accepted").size() + ", rejected " + body.path("rejected").size();
            case "query" -> body.path("items").size() + " device(s)";
            case "admin" -> "registered " + body.path("device_id").asText() + (body.hasNonNull("device_token") ? " + token" : "");
            case "auth" -> body.hasNonNull("access_token") || body.hasNonNull("accessToken") ? "tokens issued" : abbreviate(raw, 60);
            default -> abbreviate(raw, 40);
        };
    }

    private static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max) + "…";
    }

    private static String key(String function, ChildLambda.JvmMode mode) {
        return function + "|" + mode.name();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** What Lambda puts on the runtime's classpath (/var/runtime/lib): the client, its serialization, core, utils-lite. */
    static List<Path> runtimeJars() {
        List<Path> jars = new ArrayList<>();
        for (Class<?> c : List.of(AWSLambda.class, PojoSerializer.class, Context.class,
                software.amazon.awssdk.utilslite.SdkInternalThreadLocal.class)) {
            try {
                Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!jars.contains(jar)) {
                    jars.add(jar);
                }
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return jars;
    }

    /** The hello-world deployment package: just its one class (the runtime provides aws-lambda-java-core). */
    static void writeHelloWorldJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        String entry = HelloWorldHandler.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (InputStream in = HelloWorldHandler.class.getClassLoader().getResourceAsStream(entry);
                OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(in.readAllBytes());
            out.closeEntry();
        }
    }

    /** The repository root: the working directory or a parent holding functions/ and events/. */
    public static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("functions")) && Files.isDirectory(p.resolve("events"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from inside the PiSync repository");
    }

    /**
     * Keeps this JVM (and the local servers it starts: the DynamoDB engine, ElasticMQ, fauxqs, cognito-local) off CPU 0,
     * where the measured child runs. Best effort; only on machines with taskset and more than one CPU.
     */
    static void pinSelfAwayFromCpu0() {
        int cpus = MACHINE_CPUS;
        if (!ChildLambda.pinsToOneCpu() || cpus < 2) {
            return;
        }
        try {
            new ProcessBuilder("taskset", "-a", "-p", "-c", "1-" + (cpus - 1), Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // measure anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code --name value} and {@code --flag}; arguments may arrive as one string (exec-maven-plugin's property). */
    public static Map<String, String> options(String[] raw) {
        String[] args = Arrays.stream(raw).flatMap(a -> Arrays.stream(a.trim().split("\\s+"))).filter(a -> !a.isEmpty())
                .toArray(String[]::new);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        return options;
    }
}
