package com.pisync.infra.constructs;

import com.pisync.infra.FunctionArtifacts;
import com.pisync.infra.StageConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Builds every PiSync function the same way: Java 21 on ARM64, SnapStart on published versions, an
 * alias {@value #LIVE_ALIAS} on the current version (what API routes and event sources target), a
 * dedicated log group with retention, and a role of its own that can only write to that log group
 * until the owning construct grants exactly what the code uses.
 *
 * <p>Logs are JSON with the platform's own lines at WARN: Lambda then writes no START/END/REPORT line
 * per invocation (≈ 300 bytes, $0.15 per million ingest invocations at $0.50/GB), while timeouts, crashes
 * and init errors still appear. Durations and errors come from Lambda's metrics, not from those lines.
 */
public final class FunctionFactory {

    public static final String LIVE_ALIAS = "live";
    public static final Runtime RUNTIME = Runtime.JAVA_21;
    public static final Architecture ARCHITECTURE = Architecture.ARM_64;
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;
    /** Set (from context {@code secretsGeneration}) on functions that receive a secret; see {@link #secretEnvironment}. */
    public static final String SECRETS_GENERATION = "SECRETS_GENERATION";

    /**
     * What differs between functions. {@code artifact} is the module name under functions/;
     * {@code reservedConcurrency} null leaves the function on the account's unreserved pool.
     */
    public record FunctionSpec(String artifact, String handler, String description, int memoryMb, Duration timeout,
            Map<String, String> environment, Integer reservedConcurrency) {
        public FunctionSpec {
            Objects.requireNonNull(artifact);
            Objects.requireNonNull(handler);
            environment = Map.copyOf(environment);
        }

        public FunctionSpec(String artifact, String handler, String description, int memoryMb, Duration timeout,
                Map<String, String> environment) {
            this(artifact, handler, description, memoryMb, timeout, environment, null);
        }
    }

    /** A function with its {@code live} alias; grant on {@link #role()}, integrate with {@link #alias()}. */
    public record LiveFunction(Function function, Alias alias, Role role, LogGroup logGroup) {
    }

    private final StageConfig stage;
    private final FunctionArtifacts artifacts;
    private final Map<String, String> sharedEnvironment = new LinkedHashMap<>();

    public FunctionFactory(StageConfig stage, FunctionArtifacts artifacts) {
        this.stage = stage;
        this.artifacts = artifacts;
        sharedEnvironment.put("FAILURE_THRESHOLD", Integer.toString(stage.failureThreshold()));
        sharedEnvironment.put("OFFLINE_AFTER_MINUTES", Integer.toString(stage.offlineAfterMinutes()));
        sharedEnvironment.put("HISTORY_RETENTION_DAYS", Integer.toString(stage.historyRetentionDays()));
        sharedEnvironment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
    }

    /** Configuration every function receives (table names, thresholds...). Later values win. */
    public FunctionFactory shareEnvironment(String name, String value) {
        sharedEnvironment.put(name, value);
        return this;
    }

    /**
     * {@code name} = the secret's current value, as a CloudFormation dynamic reference resolved at deploy time
     * (the function needs no Secrets Manager permission). CloudFormation re-resolves it only when it updates
     * the function, so with context {@code secretsGeneration} set, {@value #SECRETS_GENERATION} is added too:
     * raising it is what delivers a rotated value (a new function configuration, hence a new published version).
     */
    public Map<String, String> secretEnvironment(String name, ISecret secret) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(name, secret.getSecretValue().unsafeUnwrap());
        stage.secretsGeneration().ifPresent(n -> environment.put(SECRETS_GENERATION, Integer.toString(n)));
        return environment;
    }

    public Map<String, String> sharedEnvironment() {
        return Map.copyOf(sharedEnvironment);
    }

    /** Context {@value #TRACING_CONTEXT}: Lambda active tracing (X-Ray) on every function; off by default. */
    public static final String TRACING_CONTEXT = "tracing";

    /** True when the app's context asks for active tracing ({@code cdk synth -c tracing=true}). */
    public static boolean tracing(Construct scope) {
        return "true".equalsIgnoreCase(String.valueOf(scope.getNode().tryGetContext(TRACING_CONTEXT)));
    }

    public LiveFunction create(Construct scope, String id, FunctionSpec spec) {
        LogGroup logGroup = LogGroup.Builder.create(scope, id + "Logs")
                .retention(LOG_RETENTION)
                .removalPolicy(stage.statefulRemovalPolicy())
                .build();

        Role role = Role.Builder.create(scope, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("PiSync " + stage.stage() + " " + spec.artifact() + " function")
                .build();
        logGroup.grantWrite(role);

        Map<String, String> environment = new LinkedHashMap<>(sharedEnvironment);
        environment.putAll(spec.environment());

        Function function = Function.Builder.create(scope, id)
                .description(spec.description())
                .runtime(RUNTIME)
                .architecture(ARCHITECTURE)
                .code(Code.fromAsset(artifacts.jar(spec.artifact()).toString()))
                .handler(spec.handler())
                .memorySize(spec.memoryMb())
                .timeout(spec.timeout())
                .role(role)
                .logGroup(logGroup)
                .environment(environment)
                .loggingFormat(LoggingFormat.JSON)
                .systemLogLevelV2(SystemLogLevel.WARN)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .reservedConcurrentExecutions(spec.reservedConcurrency())
                .tracing(tracing(scope) ? Tracing.ACTIVE : null)
                .build();

        Alias alias = Alias.Builder.create(scope, id + "LiveAlias")
                .aliasName(LIVE_ALIAS)
                .version(function.getCurrentVersion())
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Every deployment publishes a version (currentVersion) and the live alias points at it.");
        String runtimeReason = "java21 is the project's chosen LTS runtime (SnapStart on ARM64 is validated with it); "
                + "moving to java25 is a deliberate, separately tested upgrade.";
        NagSuppressions.addResourceSuppressions(function, List.of(
                NagPackSuppression.builder().id("AwsSolutions-L1").reason(runtimeReason).build(),
                NagPackSuppression.builder().id("Serverless-LambdaLatestVersion").reason(runtimeReason).build(),
                NagPackSuppression.builder().id("Serverless-LambdaDLQ").reason("No asynchronous invocation needs a "
                        + "DLQ: API routes invoke synchronously, queue and stream consumers through event source "
                        + "mappings (their own DLQ/retry policy), and the one scheduled function (the sweeper) is "
                        + "superseded by its next run 15 minutes later.").build()));
        if (tracing(scope)) {
            // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions.
            NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("Active tracing (-c tracing=true): xray:PutTraceSegments and xray:PutTelemetryRecords "
                            + "support no resource-level permission, CDK grants them on \"*\".")
                    .appliesTo(List.of("Resource::*"))
                    .build()), true);
        } else {
            NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                    .id("Serverless-LambdaTracing")
                    .reason("Active tracing is opt-in per deployment (cdk deploy -c tracing=true): X-Ray is charged "
                            + "per trace and the functions' structured logs and EMF metrics carry request ids.")
                    .build()));
        }

        return new LiveFunction(function, alias, role, logGroup);
    }
}
