package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CfnUserPoolRiskConfigurationAttachment;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolGroup;
import software.constructs.Construct;

/**
 * Who may use the dashboard API: a Cognito user pool of operators (no self sign-up; an admin creates
 * users), the groups {@code admin} and {@code viewer} (the functions read {@code cognito:groups}), one
 * public app client (no secret: the auth function signs users in with USER_PASSWORD_AUTH and refreshes
 * with REFRESH_TOKEN_AUTH on their behalf), and the HTTP API's JWT authorizer that every admin route uses.
 *
 * <p>The authorizer checks signature, expiry, issuer ({@code https://cognito-idp.<region>.amazonaws.com/<pool>})
 * and audience (the {@code client_id} claim of access tokens, {@code aud} of ID tokens = this client). It
 * does not check group membership: which group may do what is decided in the functions.
 */
public final class Identity extends Construct {

    public static final String ADMIN_GROUP = "admin";
    public static final String VIEWER_GROUP = "viewer";
    public static final int PASSWORD_MIN_LENGTH = 12;
    public static final Duration ACCESS_TOKEN_VALIDITY = Duration.hours(1);
    public static final Duration ID_TOKEN_VALIDITY = Duration.hours(1);
    public static final Duration REFRESH_TOKEN_VALIDITY = Duration.days(30);

    private final UserPool userPool;
    private final UserPoolClient client;
    private final Map<String, UserPoolGroup> groups = new LinkedHashMap<>();
    private final String issuer;
    private final HttpJwtAuthorizer authorizer;

    public Identity(Construct scope, String id, StageConfig config) {
        super(scope, id);

        userPool = UserPool.Builder.create(this, "UserPool")
                .userPoolName("pisync-" + config.stage() + "-operators")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().username(true).build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(PASSWORD_MIN_LENGTH)
                        .requireUppercase(true)
                        .requireLowercase(true)
                        .requireDigits(true)
                        .requireSymbols(true)
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                // Each operator may add a TOTP authenticator (POST /v1/auth/totp/setup, /verify); sign-in then
                // answers the SOFTWARE_TOKEN_MFA challenge (POST /v1/auth/login/totp). TOTP only: no SMS.
                .mfa(Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                // Threat protection (compromised-credential checks, risk scoring, its metrics) is a Plus feature.
                .featurePlan(FeaturePlan.PLUS)
                .standardThreatProtectionMode(StandardThreatProtectionMode.FULL_FUNCTION)
                .deletionProtection(config.isProduction())
                .removalPolicy(config.statefulRemovalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(userPool, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-COG2")
                .reason("MFA is OPTIONAL (TOTP only), not required: each operator enables a TOTP authenticator from "
                        + "the dashboard (POST /v1/auth/totp/setup and /verify), and sign-in answers the challenge "
                        + "(POST /v1/auth/login/totp). Required MFA would put every new user into Cognito's MFA_SETUP "
                        + "challenge at first sign-in, which this API does not complete (users are created by an admin "
                        + "with a password through POST /v1/users, with no session to enrol in). Besides TOTP: "
                        + "12-character passwords with all character classes, threat protection blocking compromised "
                        + "credentials, no self sign-up, sign-in throttled to 5 requests/s.")
                .build()));

        // Compromised credentials: refuse the sign-in / password change rather than only record it. Adaptive
        // (account-takeover) actions are left at Cognito's defaults: every sign-in reaches Cognito from the
        // auth function, without the user's IP and device (that needs a client secret), so risk scores would
        // judge Lambda's addresses rather than the operator's.
        CfnUserPoolRiskConfigurationAttachment.Builder.create(this, "RiskConfiguration")
                .userPoolId(userPool.getUserPoolId())
                .clientId("ALL")
                .compromisedCredentialsRiskConfiguration(
                        CfnUserPoolRiskConfigurationAttachment.CompromisedCredentialsRiskConfigurationTypeProperty.builder()
                                .actions(CfnUserPoolRiskConfigurationAttachment.CompromisedCredentialsActionsTypeProperty
                                        .builder().eventAction("BLOCK").build())
                                .eventFilter(List.of("SIGN_IN", "PASSWORD_CHANGE"))
                                .build())
                .build();

        groups.put(ADMIN_GROUP, UserPoolGroup.Builder.create(this, "AdminGroup")
                .userPool(userPool)
                .groupName(ADMIN_GROUP)
                .description("PiSync operators: every dashboard route, device registry and users")
                .precedence(0)
                .build());
        groups.put(VIEWER_GROUP, UserPoolGroup.Builder.create(this, "ViewerGroup")
                .userPool(userPool)
                .groupName(VIEWER_GROUP)
                .description("PiSync read-only dashboard users")
                .precedence(1)
                .build());

        client = userPool.addClient("DashboardClient", software.amazon.awscdk.services.cognito.UserPoolClientOptions.builder()
                .userPoolClientName("pisync-" + config.stage() + "-dashboard")
                .generateSecret(false)
                // CDK adds ALLOW_REFRESH_TOKEN_AUTH to any explicit flow list.
                .authFlows(AuthFlow.builder().userPassword(true).build())
                .disableOAuth(true) // no hosted UI, no OAuth grants: tokens come from /v1/auth/login only
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .accessTokenValidity(ACCESS_TOKEN_VALIDITY)
                .idTokenValidity(ID_TOKEN_VALIDITY)
                .refreshTokenValidity(REFRESH_TOKEN_VALIDITY)
                .enableTokenRevocation(true)
                .preventUserExistenceErrors(true)
                .build());

        issuer = "https://cognito-idp." + Stack.of(this).getRegion() + ".amazonaws.com/" + userPool.getUserPoolId();
        authorizer = HttpJwtAuthorizer.Builder.create("AdminJwtAuthorizer", issuer)
                .authorizerName("pisync-" + config.stage() + "-cognito")
                .jwtAudience(List.of(client.getUserPoolClientId()))
                .identitySource(List.of("$request.header.Authorization"))
                .build();
    }

    public UserPool userPool() {
        return userPool;
    }

    public UserPoolClient client() {
        return client;
    }

    public Map<String, UserPoolGroup> groups() {
        return Map.copyOf(groups);
    }

    /** {@code https://cognito-idp.<region>.amazonaws.com/<user pool id>} (tokens). */
    public String issuer() {
        return issuer;
    }

    /** The JWT authorizer of every admin route (bound to the HTTP API by the first route that uses it). */
    public HttpJwtAuthorizer authorizer() {
        return authorizer;
    }
}
