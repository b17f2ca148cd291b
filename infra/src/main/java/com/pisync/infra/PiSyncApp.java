package com.pisync.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.ServerlessChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * CDK entry point. {@code cdk synth -c stage=prod} (default dev) synthesises {@code PiSync-<stage>}.
 * The cdk-nag AwsSolutions and Serverless checks run on every synth (errors fail it); {@code -c nag=false} skips
 * them. {@code -c tracing=true} turns on Lambda active tracing (X-Ray) for every function.
 */
public final class PiSyncApp {

    private PiSyncApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app, FunctionArtifacts.locate());
        app.synth();
    }

    /** Adds the stack selected by the app's context (and the nag checks unless disabled) to {@code app}. */
    public static PiSyncStack build(App app, FunctionArtifacts artifacts) {
        return build(app, artifacts, Environment.builder()
                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                .region(System.getenv("CDK_DEFAULT_REGION"))
                .build());
    }

    /**
     * The same in a given environment: the CDK CLI's account and region (above), which a real synth resolves
     * into literal ARNs, or a test's.
     */
    public static PiSyncStack build(App app, FunctionArtifacts artifacts, Environment env) {
        StageConfig config = StageConfig.fromContext(app.getNode());
        PiSyncStack stack = new PiSyncStack(app, config, artifacts, StackProps.builder()
                .description("PiSync " + config.stage() + ": sync monitoring for offline-first devices")
                .terminationProtection(config.isProduction())
                .env(env)
                .build());
        if (!"false".equals(String.valueOf(app.getNode().tryGetContext("nag")))) {
            Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
            Aspects.of(app).add(new ServerlessChecks(NagPackProps.builder().verbose(true).build()));
        }
        return stack;
    }
}
