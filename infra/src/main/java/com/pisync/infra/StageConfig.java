package com.pisync.infra;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Node;

/**
 * Everything that differs between stages, read once from CDK context ({@code -c key=value} or
 * cdk.json). Constructs take this record instead of reading context themselves.
 *
 * <p>Context keys: {@code stage} (dev|prod, default dev), {@code alertEmail}, {@code operatorEmail},
 * {@code dashboardOrigin} (https origin allowed by CORS), {@code failureThreshold},
 * {@code offlineAfterMinutes}, {@code historyRetentionDays}, {@code apiRateLimit}, {@code apiBurstLimit},
 * {@code indexLimit} (declare only the first N global secondary indexes of each table: CloudFormation adds at
 * most one GSI per table per stack update, so a stack deployed before the indexes existed is brought up to
 * date with {@code -c indexLimit=0}, {@code 1}, … and finally without the key; see infra/README.md),
 * {@code secretsGeneration} (a counter put into the environment of every function that receives a secret:
 * raising it makes CloudFormation update those functions, hence re-resolve the secrets' current values
 * and publish new versions — how a rotated secret reaches the functions; see infra/README.md),
 * {@code provisionedMaxCapacity} (tables and indexes in provisioned mode, auto scaled between
 * {@value #PROVISIONED_MIN_CAPACITY} units and this many at {@value #PROVISIONED_TARGET_UTILIZATION}% utilisation;
 * absent: on-demand. For a large steady fleet: a write costs ≈ 2.4× less than on-demand, and the queue
 * absorbs the throttling while capacity scales up; see docs/performance.md).
 */
public record StageConfig(
        String stage,
        Optional<String> alertEmail,
        Optional<String> operatorEmail,
        Optional<String> dashboardOrigin,
        int failureThreshold,
        int offlineAfterMinutes,
        int historyRetentionDays,
        Throttle apiDefaultThrottle,
        Optional<Integer> indexLimit,
        Optional<Integer> secretsGeneration,
        Optional<Integer> provisionedMaxCapacity) {

    public static final int PROVISIONED_MIN_CAPACITY = 5;
    public static final int PROVISIONED_TARGET_UTILIZATION = 70;

    public static final String DEFAULT_STAGE = "dev";
    public static final String PROD = "prod";

    private static final Pattern STAGE = Pattern.compile("[a-z][a-z0-9]{1,15}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern ORIGIN = Pattern.compile("https://[A-Za-z0-9.-]+(:[0-9]{1,5})?|http://localhost(:[0-9]{1,5})?");

    /** API Gateway throttling: steady-state requests per second and burst size. */
    public record Throttle(double rateLimit, int burstLimit) {
        public Throttle {
            if (rateLimit <= 0 || burstLimit <= 0) {
                throw new IllegalArgumentException("throttle rate and burst must be > 0");
            }
        }
    }

    public StageConfig {
        if (!STAGE.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage must match " + STAGE.pattern() + " (e.g. dev, prod), got '" + stage + "'");
        }
        alertEmail.ifPresent(e -> require(EMAIL, e, "alertEmail"));
        operatorEmail.ifPresent(e -> require(EMAIL, e, "operatorEmail"));
        dashboardOrigin.ifPresent(o -> require(ORIGIN, o, "dashboardOrigin (an https:// origin without path)"));
        if (failureThreshold < 1 || offlineAfterMinutes < 1 || historyRetentionDays < 1) {
            throw new IllegalArgumentException("failureThreshold, offlineAfterMinutes and historyRetentionDays must be ≥ 1");
        }
        indexLimit = indexLimit == null ? Optional.empty() : indexLimit;
        if (indexLimit.isPresent() && indexLimit.get() < 0) {
            throw new IllegalArgumentException("indexLimit must be ≥ 0");
        }
        secretsGeneration = secretsGeneration == null ? Optional.empty() : secretsGeneration;
        if (secretsGeneration.isPresent() && secretsGeneration.get() < 0) {
            throw new IllegalArgumentException("secretsGeneration must be ≥ 0");
        }
        provisionedMaxCapacity = provisionedMaxCapacity == null ? Optional.empty() : provisionedMaxCapacity;
        if (provisionedMaxCapacity.isPresent() && provisionedMaxCapacity.get() < PROVISIONED_MIN_CAPACITY) {
            throw new IllegalArgumentException("provisionedMaxCapacity must be ≥ " + PROVISIONED_MIN_CAPACITY);
        }
    }

    public static StageConfig dev() {
        return of(DEFAULT_STAGE);
    }

    public static StageConfig of(String stage) {
        return new StageConfig(stage, Optional.empty(), Optional.empty(), Optional.empty(), 3, 1440, 400,
                new Throttle(50, 100), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static StageConfig fromContext(Node node) {
        StageConfig defaults = of(text(node, "stage").orElse(DEFAULT_STAGE).toLowerCase(Locale.ROOT));
        return new StageConfig(
                defaults.stage(),
                text(node, "alertEmail"),
                text(node, "operatorEmail"),
                text(node, "dashboardOrigin").map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o),
                integer(node, "failureThreshold", defaults.failureThreshold()),
                integer(node, "offlineAfterMinutes", defaults.offlineAfterMinutes()),
                integer(node, "historyRetentionDays", defaults.historyRetentionDays()),
                new Throttle(integer(node, "apiRateLimit", (int) defaults.apiDefaultThrottle().rateLimit()),
                        integer(node, "apiBurstLimit", defaults.apiDefaultThrottle().burstLimit())),
                text(node, "indexLimit").map(v -> integer(node, "indexLimit", 0)),
                text(node, "secretsGeneration").map(v -> integer(node, "secretsGeneration", 0)),
                text(node, "provisionedMaxCapacity").map(v -> integer(node, "provisionedMaxCapacity", 0)));
    }

    public boolean isProduction() {
        return PROD.equals(stage);
    }

    public String stackName() {
        return "PiSync-" + stage;
    }

    /** Stateful resources (tables, log groups, keys): kept in prod, removed with a dev stack. */
    public RemovalPolicy statefulRemovalPolicy() {
        return isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    public StageConfig withAlertEmail(String email) {
        return new StageConfig(stage, Optional.of(email), operatorEmail, dashboardOrigin, failureThreshold,
                offlineAfterMinutes, historyRetentionDays, apiDefaultThrottle, indexLimit, secretsGeneration, provisionedMaxCapacity);
    }

    public StageConfig withDashboardOrigin(String origin) {
        return new StageConfig(stage, alertEmail, operatorEmail, Optional.of(origin), failureThreshold,
                offlineAfterMinutes, historyRetentionDays, apiDefaultThrottle, indexLimit, secretsGeneration, provisionedMaxCapacity);
    }

    public StageConfig withIndexLimit(int limit) {
        return new StageConfig(stage, alertEmail, operatorEmail, dashboardOrigin, failureThreshold,
                offlineAfterMinutes, historyRetentionDays, apiDefaultThrottle, Optional.of(limit), secretsGeneration, provisionedMaxCapacity);
    }

    public StageConfig withProvisionedMaxCapacity(int max) {
        return new StageConfig(stage, alertEmail, operatorEmail, dashboardOrigin, failureThreshold,
                offlineAfterMinutes, historyRetentionDays, apiDefaultThrottle, indexLimit, secretsGeneration,
                Optional.of(max));
    }

    private static Optional<String> text(Node node, String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Optional.empty();
        }
        String s = value.toString().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static int integer(Node node, String key, int fallback) {
        Optional<String> value = text(node, key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return (int) Double.parseDouble(value.get()); // context from cdk.json may arrive as 3.0
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a number, got '" + value.get() + "'", e);
        }
    }

    private static void require(Pattern pattern, String value, String what) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is not valid: '" + value + "'");
        }
    }
}
