package com.pisync.infra;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * Synthesises each stage once per test JVM (a synth costs seconds), with the cdk-nag checks on as in
 * the real app. Uses the real function jars ({@code <repo>/functions/<fn>/target/pisync-<fn>.jar}) unless
 * {@code -Dpisync.functionsDir} points elsewhere.
 */
final class Stacks {

    static final String ALERT_EMAIL = "alerts@example.com";
    static final String OPERATOR_EMAIL = "ops@example.com";
    static final String DASHBOARD_ORIGIN = "https://dashboard.example.com";

    private static final Map<String, PiSyncStack> STACKS = new HashMap<>();
    private static final Map<PiSyncStack, Template> TEMPLATES = new IdentityHashMap<>();

    private Stacks() {
    }

    /** {@code PiSync-dev} with defaults only (what `cdk synth` gives with no context). */
    static synchronized PiSyncStack dev() {
        return STACKS.computeIfAbsent("dev", k -> build(Map.of()));
    }

    /** {@code PiSync-prod} with every optional setting. */
    static synchronized PiSyncStack prod() {
        return STACKS.computeIfAbsent("prod", k -> build(Map.of(
                "stage", "prod",
                "alertEmail", ALERT_EMAIL,
                "operatorEmail", OPERATOR_EMAIL,
                "dashboardOrigin", DASHBOARD_ORIGIN)));
    }

    /**
     * {@code PiSync-dev} as the CDK CLI synthesises it with credentials: account and region known, so ARNs
     * (and what cdk-nag sees) hold literals instead of tokens.
     */
    static synchronized PiSyncStack devInAnAccount() {
        return STACKS.computeIfAbsent("dev@account", k -> PiSyncApp.build(new App(), FunctionArtifacts.locate(),
                Environment.builder().account("123456789012").region("eu-west-1").build()));
    }

    static synchronized Template template(PiSyncStack stack) {
        return TEMPLATES.computeIfAbsent(stack, k -> Template.fromStack(stack));
    }

    static String logicalId(IConstruct construct) {
        IConstruct resource = construct.getNode().getDefaultChild() != null
                ? construct.getNode().getDefaultChild() : construct;
        return ((CfnElement) resource).getStack().getLogicalId((CfnElement) resource);
    }

    /** An uncached stack for extra context (synthesise it with {@code Template.fromStack}). */
    static PiSyncStack build(Map<String, Object> context) {
        App app = App.Builder.create().context(new HashMap<>(context)).build();
        return PiSyncApp.build(app, FunctionArtifacts.locate());
    }
}
