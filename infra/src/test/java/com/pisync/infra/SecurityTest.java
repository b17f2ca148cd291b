package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static com.pisync.infra.TemplateJson.map;
import static com.pisync.infra.TemplateJson.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.Auth;
import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The security design: the Cognito user pool, its groups and app client, the JWT authorizer, the auth
 * function's routes and throttles, and where the two deploy-time secrets go. (Which routes carry the
 * authorizer: RoutesMatchCodeTest; the auth function's IAM: DevStackTest; no unsuppressed finding:
 * NagComplianceTest.)
 */
class SecurityTest {

    private static PiSyncStack dev;
    private static Template template;
    private static TemplateJson json;

    @BeforeAll
    static void synth() {
        dev = Stacks.dev();
        template = Stacks.template(dev);
        json = new TemplateJson(template);
    }

    // ---------------------------------------------------------------- user pool

    @Test
    void userPoolIsAdminCreatedUsernameSignInWithAStrongPasswordPolicyAndEmailRecovery() {
        template.resourceCountIs("AWS::Cognito::UserPool", 1);
        Map<String, Object> pool = json.props(dev.identity().userPool());
        assertEquals(Map.of("AllowAdminCreateUserOnly", true), pool.get("AdminCreateUserConfig"), "no self sign-up");
        assertNull(pool.get("UsernameAttributes"), "sign-in by username, not by email or phone");
        assertNull(pool.get("AliasAttributes"), "no sign-in aliases");
        assertEquals(Map.of("PasswordPolicy", Map.of("MinimumLength", 12, "RequireLowercase", true,
                "RequireUppercase", true, "RequireNumbers", true, "RequireSymbols", true)), pool.get("Policies"));
        assertEquals(Map.of("RecoveryMechanisms", List.of(Map.of("Name", "verified_email", "Priority", 1))),
                pool.get("AccountRecoverySetting"));
        assertEquals("OPTIONAL", pool.get("MfaConfiguration"), "each user may enable TOTP (POST /v1/auth/totp/setup)");
        assertEquals(List.of("SOFTWARE_TOKEN_MFA"), pool.get("EnabledMfas"), "TOTP only: no SMS (no SNS role)");
        assertNull(pool.get("SmsConfiguration"), "no SMS role: SMS MFA is off");
        assertEquals("INACTIVE", pool.get("DeletionProtection"));
        assertEquals("Delete", json.resource(dev.identity().userPool()).get("DeletionPolicy"));
    }

    @Test
    void threatProtectionIsEnforcedOnThePlusPlanAndBlocksCompromisedCredentials() {
        Map<String, Object> pool = json.props(dev.identity().userPool());
        assertEquals("PLUS", pool.get("UserPoolTier"));
        assertEquals(Map.of("AdvancedSecurityMode", "ENFORCED"), pool.get("UserPoolAddOns"));
        template.resourceCountIs("AWS::Cognito::UserPoolRiskConfigurationAttachment", 1);
        template.hasResourceProperties("AWS::Cognito::UserPoolRiskConfigurationAttachment", Map.of(
                "UserPoolId", ref(dev.identity().userPool()),
                "ClientId", "ALL",
                "CompromisedCredentialsRiskConfiguration", Map.of(
                        "Actions", Map.of("EventAction", "BLOCK"),
                        "EventFilter", List.of("SIGN_IN", "PASSWORD_CHANGE"))));
    }

    @Test
    void theGroupsAreAdminAndViewer() {
        Set<String> groups = new TreeSet<>();
        for (Map<String, Object> group : json.ofType("AWS::Cognito::UserPoolGroup").values()) {
            assertEquals(ref(dev.identity().userPool()), TemplateJson.props(group).get("UserPoolId"));
            groups.add(String.valueOf(TemplateJson.props(group).get("GroupName")));
        }
        assertEquals(Set.of("admin", "viewer"), groups);
    }

    @Test
    void theAppClientIsPublicPasswordAndRefreshOnlyWithShortTokensRevocationAndNoUserExistenceErrors() {
        template.resourceCountIs("AWS::Cognito::UserPoolClient", 1);
        Map<String, Object> client = json.props(dev.identity().client());
        assertEquals(ref(dev.identity().userPool()), client.get("UserPoolId"));
        assertEquals(false, client.get("GenerateSecret"));
        assertEquals(List.of("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"), client.get("ExplicitAuthFlows"));
        assertEquals(Map.of("AccessToken", "minutes", "IdToken", "minutes", "RefreshToken", "minutes"),
                client.get("TokenValidityUnits"));
        assertEquals(60, client.get("AccessTokenValidity"));
        assertEquals(60, client.get("IdTokenValidity"));
        assertEquals(30 * 24 * 60, client.get("RefreshTokenValidity"));
        assertEquals(true, client.get("EnableTokenRevocation"));
        assertEquals("ENABLED", client.get("PreventUserExistenceErrors"));
        // No hosted UI / OAuth grants: tokens are issued through POST /v1/auth/login only.
        assertEquals(false, client.get("AllowedOAuthFlowsUserPoolClient"));
        assertNull(client.get("AllowedOAuthFlows"));
        assertNull(client.get("CallbackURLs"));
    }

    // ---------------------------------------------------------------- API authorizer

    @Test
    void theJwtAuthorizerTrustsThisPoolsIssuerAndOnlyThisClient() {
        Map<String, Map<String, Object>> authorizers = json.ofType("AWS::ApiGatewayV2::Authorizer");
        assertEquals(1, authorizers.size());
        Map<String, Object> p = TemplateJson.props(authorizers.values().iterator().next());
        assertEquals(ref(dev.ingest().api()), p.get("ApiId"));
        assertEquals("JWT", p.get("AuthorizerType"));
        assertEquals(List.of("$request.header.Authorization"), p.get("IdentitySource"));
        Map<String, Object> jwt = map(p.get("JwtConfiguration"));
        assertEquals("https://cognito-idp.AWS::Region.amazonaws.com/" + logicalId(dev.identity().userPool()),
                TemplateJson.describe(jwt.get("Issuer")));
        assertEquals(List.of(ref(dev.identity().client())), jwt.get("Audience"));
    }

    @Test
    void signInRoutesAreStrictlyThrottledAndUserRoutesLikeAdminRoutes() {
        Map<String, Object> settings = map(json.props(dev.ingest().stage()).get("RouteSettings"));
        for (String route : Auth.ROUTES) {
            Map<String, Object> throttle = map(settings.get(route));
            // the TOTP setup routes are the signed-in user's own, behind the authorizer like the user routes
            boolean signIn = route.startsWith("POST /v1/auth/") && !route.startsWith("POST /v1/auth/totp/");
            assertEquals(signIn, Auth.PUBLIC_ROUTES.contains(route), route);
            assertEquals(signIn ? 5 : 10, ((Number) throttle.get("throttlingRateLimit")).intValue(), route);
            assertEquals(signIn ? 10 : 20, ((Number) throttle.get("throttlingBurstLimit")).intValue(), route);
        }
    }

    @Test
    void devHasNoCors() {
        assertNull(json.props(dev.ingest().api()).get("CorsConfiguration"));
    }

    @Test
    void prodCorsLetsTheDashboardOriginSendTokensAndReadTheExportHeaders() {
        PiSyncStack prod = Stacks.prod();
        Map<String, Object> cors = map(new TemplateJson(Stacks.template(prod)).props(prod.ingest().api())
                .get("CorsConfiguration"));
        assertEquals(List.of(Stacks.DASHBOARD_ORIGIN), cors.get("AllowOrigins"));
        assertEquals(List.of("authorization", "content-type"), cors.get("AllowHeaders")); // matched case-insensitively
        assertEquals(List.of("GET", "POST", "PATCH", "DELETE", "OPTIONS"), cors.get("AllowMethods"));
        assertEquals(List.of("content-disposition", "x-next-cursor"), cors.get("ExposeHeaders"));
        assertEquals(false, cors.get("AllowCredentials"));
    }

    @Test
    void prodUserPoolIsRetainedAndDeletionProtected() {
        PiSyncStack prod = Stacks.prod();
        TemplateJson prodJson = new TemplateJson(Stacks.template(prod));
        Map<String, Object> pool = prodJson.resource(prod.identity().userPool());
        assertEquals("Retain", pool.get("DeletionPolicy"));
        assertEquals("Retain", pool.get("UpdateReplacePolicy"));
        assertEquals("ACTIVE", TemplateJson.props(pool).get("DeletionProtection"));
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void deviceTokenKeyIsAGenerated64CharacterSecretWithoutPunctuation() {
        String secret = logicalId(dev.deviceTokenKey().secret());
        assertEquals(Map.of("PasswordLength", 64, "ExcludePunctuation", true),
                json.props(secret).get("GenerateSecretString"));
        assertEquals("{{resolve:secretsmanager:" + secret + ":SecretString:::}}",
                TemplateJson.describe(json.environment(dev.ingest().ingest()).get("DEVICE_TOKEN_KEY")));
        assertEquals("{{resolve:secretsmanager:" + secret + ":SecretString:::}}",
                TemplateJson.describe(json.environment(dev.admin().admin()).get("DEVICE_TOKEN_KEY")));
    }

    /** Each secret reaches exactly the functions that use it, and nothing else mentions either. */
    @Test
    void eachSecretIsWiredIntoItsFunctionsOnly() {
        String deviceKey = logicalId(dev.deviceTokenKey().secret());
        String cursorKey = logicalId(dev.query().cursorSigningKey());
        assertEquals(Set.of(logicalId(dev.ingest().ingest().function()), logicalId(dev.admin().admin().function())),
                resourcesMentioning(deviceKey));
        assertEquals(Set.of(logicalId(dev.query().query().function()), logicalId(dev.auth().auth().function())),
                resourcesMentioning(cursorKey));
        for (LiveFunction live : List.of(dev.ingest().ingest(), dev.admin().admin(), dev.query().query(),
                dev.auth().auth())) {
            Map<String, Object> env = json.environment(live);
            assertEquals(env.containsKey("DEVICE_TOKEN_KEY"), live == dev.ingest().ingest() || live == dev.admin().admin());
            assertEquals(env.containsKey("CURSOR_SIGNING_KEY"), live == dev.query().query() || live == dev.auth().auth());
        }
    }

    @Test
    void bothSecretsCarryAnSmg4SuppressionWithTheirTradeOff() {
        assertTrue(suppressionReason(dev.deviceTokenKey().secret(), "AwsSolutions-SMG4").contains("invalidates every device token"));
        assertTrue(suppressionReason(dev.query().cursorSigningKey(), "AwsSolutions-SMG4").contains("pagination cursors"));
        assertTrue(suppressionReason(dev.identity().userPool(), "AwsSolutions-COG2").contains("OPTIONAL"));
    }

    /** Raising {@code secretsGeneration} changes exactly the functions that hold a secret, so they re-resolve it. */
    @Test
    void secretsGenerationReachesTheFunctionsHoldingASecretOnly() {
        for (LiveFunction live : List.of(dev.ingest().ingest(), dev.admin().admin(), dev.query().query(), dev.auth().auth())) {
            assertNull(json.environment(live).get("SECRETS_GENERATION"), "absent without the context key");
        }
        PiSyncStack rotated = Stacks.build(Map.of("secretsGeneration", "3", "nag", "false"));
        TemplateJson rotatedJson = new TemplateJson(Template.fromStack(rotated));
        Set<String> holders = Set.of(logicalId(rotated.ingest().ingest().function()),
                logicalId(rotated.admin().admin().function()), logicalId(rotated.query().query().function()),
                logicalId(rotated.auth().auth().function()));
        rotatedJson.ofType("AWS::Lambda::Function").forEach((id, function) -> {
            if (TemplateJson.isCdkManaged(id)) {
                return; // the dashboard deployment handler / auto-delete provider: no PiSync environment
            }
            Map<String, Object> env = map(map(TemplateJson.props(function).get("Environment")).get("Variables"));
            assertEquals(holders.contains(id) ? "3" : null, env.get("SECRETS_GENERATION"), id);
        });
    }

    private static Set<String> resourcesMentioning(String logicalId) {
        Set<String> found = new TreeSet<>();
        map(template.toJSON().get("Resources")).forEach((id, resource) -> {
            if (!id.equals(logicalId) && map(resource).get("Properties") != null
                    && map(resource).get("Properties").toString().contains("{Ref=" + logicalId + "}")) {
                found.add(id);
            }
        });
        return found;
    }

    private static String suppressionReason(software.constructs.IConstruct construct, String rule) {
        Map<String, Object> metadata = map(json.resource(construct).get("Metadata"));
        for (Object s : (List<?>) map(metadata.get("cdk_nag")).get("rules_to_suppress")) {
            if (rule.equals(map(s).get("id"))) {
                return String.valueOf(map(s).get("reason"));
            }
        }
        throw new AssertionError(rule + " not suppressed on " + logicalId(construct));
    }

}
