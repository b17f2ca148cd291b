package com.pisync.infra;

import static com.pisync.infra.Stacks.logicalId;
import static com.pisync.infra.TemplateJson.asList;
import static com.pisync.infra.TemplateJson.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.DashboardHosting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.s3.Bucket;

/** The dashboard's S3 bucket + CloudFront distribution (DashboardHosting), in both stages. */
class DashboardHostingTest {

    static Stream<PiSyncStack> stacks() {
        return Stream.of(Stacks.dev(), Stacks.prod());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void bucketsArePrivateEncryptedTlsOnlyAndTheSiteIsVersionedAndLogged(PiSyncStack stack) {
        TemplateJson json = new TemplateJson(Stacks.template(stack));
        DashboardHosting hosting = stack.dashboardHosting();
        for (Bucket bucket : List.of(hosting.bucket(), hosting.logBucket())) {
            Map<String, Object> p = json.props(bucket);
            assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                    "RestrictPublicBuckets", true), p.get("PublicAccessBlockConfiguration"));
            assertEquals(Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                    "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))), p.get("BucketEncryption"));
            String policy = policyOf(json, bucket).toString();
            assertTrue(policy.contains("aws:SecureTransport=false") && policy.contains("Deny"), policy);
        }
        Map<String, Object> site = json.props(hosting.bucket());
        assertEquals(Map.of("Status", "Enabled"), site.get("VersioningConfiguration"));
        assertEquals(Map.of("DestinationBucketName", TemplateJson.ref(hosting.logBucket()), "LogFilePrefix", "s3/"),
                site.get("LoggingConfiguration"));
        assertEquals(Map.of("Bucket", TemplateJson.getAtt(logicalId(hosting.logBucket()), "RegionalDomainName"),
                "Prefix", "cloudfront/"), map(distribution(json, stack).get("Logging")));

        String expected = stack.config().isProduction() ? "Retain" : "Delete";
        assertEquals(expected, json.resource(hosting.bucket()).get("DeletionPolicy"));
        assertEquals(expected, json.resource(hosting.logBucket()).get("DeletionPolicy"));
        json.template().resourceCountIs("Custom::S3AutoDeleteObjects", stack.config().isProduction() ? 0 : 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void cloudFrontReadsTheBucketThroughOriginAccessControlOnly(PiSyncStack stack) {
        TemplateJson json = new TemplateJson(Stacks.template(stack));
        Map<String, Map<String, Object>> oacs = json.ofType("AWS::CloudFront::OriginAccessControl");
        assertEquals(1, oacs.size());
        String oac = oacs.keySet().iterator().next();
        Map<String, Object> oacConfig = map(TemplateJson.props(oacs.get(oac)).get("OriginAccessControlConfig"));
        assertEquals("s3", oacConfig.get("OriginAccessControlOriginType"));
        assertEquals("always", oacConfig.get("SigningBehavior"));
        assertEquals("sigv4", oacConfig.get("SigningProtocol"));
        json.template().resourceCountIs("AWS::CloudFront::CloudFrontOriginAccessIdentity", 0);

        Map<String, Object> origin = map(asList(distribution(json, stack).get("Origins")).get(0));
        assertEquals(TemplateJson.getAtt(oac, "Id"), origin.get("OriginAccessControlId"));
        assertEquals(Map.of("OriginAccessIdentity", ""), origin.get("S3OriginConfig"));
        // The bucket policy lets CloudFront (this distribution only) read objects.
        String policy = policyOf(json, stack.dashboardHosting().bucket()).toString();
        assertTrue(policy.contains("cloudfront.amazonaws.com") && policy.contains("s3:GetObject")
                && policy.contains("AWS:SourceArn"), policy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void httpsOnlyWithIndexHtmlAndTheSecurityHeaders(PiSyncStack stack) {
        TemplateJson json = new TemplateJson(Stacks.template(stack));
        Map<String, Object> distribution = distribution(json, stack);
        assertEquals("index.html", distribution.get("DefaultRootObject"));
        Map<String, Object> behavior = map(distribution.get("DefaultCacheBehavior"));
        assertEquals("redirect-to-https", behavior.get("ViewerProtocolPolicy"));
        assertEquals(List.of("GET", "HEAD"), behavior.get("AllowedMethods"));
        assertEquals(TemplateJson.ref(stack.dashboardHosting().headers()), behavior.get("ResponseHeadersPolicyId"));
        assertTrue(asList(distribution.get("CacheBehaviors")).isEmpty());

        Map<String, Object> headers = map(map(json.props(stack.dashboardHosting().headers())
                .get("ResponseHeadersPolicyConfig")).get("SecurityHeadersConfig"));
        assertEquals(Map.of("AccessControlMaxAgeSec", 63072000, "IncludeSubdomains", true, "Override", true),
                headers.get("StrictTransportSecurity"));
        assertEquals(Map.of("Override", true), headers.get("ContentTypeOptions"));
        assertEquals(Map.of("FrameOption", "DENY", "Override", true), headers.get("FrameOptions"));
        assertEquals(Map.of("ReferrerPolicy", "no-referrer", "Override", true), headers.get("ReferrerPolicy"));
        Map<String, Object> csp = map(headers.get("ContentSecurityPolicy"));
        assertEquals(true, csp.get("Override"));
        String api = logicalId(stack.ingest().api()) + ".ApiEndpoint"; // https://<id>.execute-api.<region>.<suffix>
        String live = logicalId(stack.liveUpdates().socketApi()) + ".ApiEndpoint"; // wss://<id>.execute-api...
        assertEquals("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self' " + api + " " + live + "; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
                TemplateJson.describe(csp.get("ContentSecurityPolicy")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void deploysTheDashboardFilesAndAGeneratedConfigJsThenInvalidates(PiSyncStack stack) throws IOException {
        TemplateJson json = new TemplateJson(Stacks.template(stack));
        Map<String, Map<String, Object>> deployments = json.ofType("Custom::CDKBucketDeployment");
        assertEquals(1, deployments.size());
        Map<String, Object> p = TemplateJson.props(deployments.values().iterator().next());
        assertEquals(TemplateJson.ref(stack.dashboardHosting().bucket()), p.get("DestinationBucketName"));
        assertEquals(TemplateJson.ref(stack.dashboardHosting().distribution()), p.get("DistributionId"));
        assertEquals(List.of("/*"), p.get("DistributionPaths"));
        assertEquals(true, p.get("Prune"));
        List<?> keys = asList(p.get("SourceObjectKeys"));
        assertEquals(2, keys.size());
        // config.js's one deploy-time value: the API endpoint (config.js = configJs(marker)).
        assertEquals(List.of(Map.of(), Map.of("<<marker:0xbaba:0>>",
                TemplateJson.getAtt(logicalId(stack.ingest().api()), "ApiEndpoint"))), p.get("SourceMarkers"));

        // The staged dashboard asset: the plain files, without config.js (generated) and README.md.
        String hash = String.valueOf(keys.get(0)).replace(".zip", "");
        Path staged = Path.of(((App) stack.getNode().getRoot()).getOutdir(), "asset." + hash);
        assertTrue(Files.isDirectory(staged), staged.toString());
        for (String file : List.of("index.html", "app.js", "api.js", "styles.css")) {
            assertTrue(Files.isRegularFile(staged.resolve(file)), file);
        }
        assertFalse(Files.exists(staged.resolve("config.js")));
        assertFalse(Files.exists(staged.resolve("README.md")));
    }

    /** What the IAM5 suppression on the CDK-managed handler excuses: `*` only for the CloudFront invalidation. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void theDeploymentHandlersOnlyStarResourceIsTheInvalidation(PiSyncStack stack) {
        TemplateJson json = new TemplateJson(Stacks.template(stack));
        int policies = 0;
        for (Map.Entry<String, Map<String, Object>> e : json.ofType("AWS::IAM::Policy").entrySet()) {
            if (!e.getKey().startsWith("CustomCDKBucketDeployment")) {
                continue;
            }
            policies++;
            for (Map<String, Object> statement : TemplateJson.statements(e.getValue())) {
                if (asList(statement.get("Resource")).contains("*")) {
                    assertEquals(java.util.Set.of("cloudfront:GetInvalidation", "cloudfront:CreateInvalidation"),
                            java.util.Set.copyOf(asList(statement.get("Action"))), statement.toString());
                }
            }
        }
        assertEquals(1, policies);
    }

    @Test
    void configJsPointsTheDashboardAtTheApisV1() {
        assertEquals("window.PISYNC_API = 'https://abc.execute-api.eu-west-1.amazonaws.com/v1';\n",
                DashboardHosting.configJs("https://abc.execute-api.eu-west-1.amazonaws.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void dashboardUrlIsOutputAndCorsDoesNotReferenceTheDistribution(PiSyncStack stack) {
        TemplateJson json = new TemplateJson(Stacks.template(stack));
        String distribution = logicalId(stack.dashboardHosting().distribution());
        json.template().hasOutput("DashboardUrl", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("",
                List.of("https://", TemplateJson.getAtt(distribution, "DomainName")))))));
        // CORS comes from -c dashboardOrigin only: an API referencing the distribution would be a cycle
        // (distribution -> headers policy (CSP) -> API).
        assertFalse(json.resource(stack.ingest().api()).toString().contains(distribution));
    }

    @Test
    void aMissingDashboardDirectoryFailsClearly(@TempDir Path empty) {
        String previous = System.getProperty(DashboardHosting.DIR_PROPERTY);
        System.setProperty(DashboardHosting.DIR_PROPERTY, empty.toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, DashboardHosting::locateDashboardDir);
            assertTrue(e.getMessage().contains("index.html") && e.getMessage().contains(empty.toString()),
                    e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(DashboardHosting.DIR_PROPERTY);
            } else {
                System.setProperty(DashboardHosting.DIR_PROPERTY, previous);
            }
        }
    }

    private static Map<String, Object> distribution(TemplateJson json, PiSyncStack stack) {
        return map(json.props(stack.dashboardHosting().distribution()).get("DistributionConfig"));
    }

    private static Map<String, Object> policyOf(TemplateJson json, Bucket bucket) {
        String ref = TemplateJson.ref(bucket).toString();
        return json.ofType("AWS::S3::BucketPolicy").values().stream()
                .filter(p -> String.valueOf(TemplateJson.props(p).get("Bucket")).equals(ref))
                .findFirst().orElseThrow(() -> new AssertionError("no bucket policy for " + ref));
    }
}
