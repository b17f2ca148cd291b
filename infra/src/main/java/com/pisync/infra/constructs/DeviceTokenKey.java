package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * {@code DEVICE_TOKEN_KEY}: the HMAC key of the device tokens. The admin function signs a token when it
 * registers a device or rotates its token ({@code pdt.<device>.<credential version>.<mac>}); the ingest
 * function verifies the signature without a database read, then compares the version with the device's
 * credential item in sync_requests (read by the Query it already makes), so a rotated or decommissioned
 * device is refused as soon as that item is written.
 *
 * <p>Same delivery as {@code CURSOR_SIGNING_KEY}: a generated Secrets Manager secret resolved into the two
 * functions' environment by a CloudFormation dynamic reference at deploy time (no Secrets Manager
 * permission, no call at start-up). Trade-off: the value is readable by any principal allowed
 * {@code lambda:GetFunctionConfiguration} on either function, and whoever holds it can mint a token for
 * any device at its current credential version. Rotation is a planned operator action (infra/README.md):
 * a new value, then a deployment with a raised {@code secretsGeneration}, invalidates every device token at once.
 */
public final class DeviceTokenKey extends Construct {

    public static final String ENVIRONMENT_NAME = "DEVICE_TOKEN_KEY";
    public static final int LENGTH = 64;

    private final Secret secret;

    public DeviceTokenKey(Construct scope, String id, StageConfig config) {
        super(scope, id);
        secret = Secret.Builder.create(this, "Secret")
                .description("PiSync " + config.stage() + ": HMAC key of the device tokens (ingest verifies, admin issues)")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(LENGTH)
                        .excludePunctuation(true)
                        .build())
                .removalPolicy(config.statefulRemovalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(secret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("The device token key is resolved into the ingest and admin functions at deploy time, and "
                        + "changing it invalidates every device token in the field at once (each device then needs a "
                        + "new token from POST /v1/devices/{device_id}/token). Rotation is therefore a planned operator "
                        + "action followed by a deployment (infra/README.md), never an automatic schedule.")
                .build()));
    }

    /** Put into a function's environment with {@code FunctionFactory.secretEnvironment}. */
    public Secret secret() {
        return secret;
    }
}
