package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The static dashboard ({@code <repo>/dashboard/}, plain files) in a private, versioned, SSE-S3 bucket behind
 * CloudFront with Origin Access Control: HTTPS only (HTTP redirects), {@code index.html} as root object, security
 * headers on every response (HSTS, nosniff, DENY framing, no referrer, a CSP whose {@code connect-src} is
 * {@code 'self'} plus the HTTP API). {@code config.js} is written at deploy time with the API's URL, so the
 * dashboard calls the API cross-origin. S3 server access logs and CloudFront standard logs go to one log bucket.
 *
 * <p>The API's CORS origin is NOT set from the distribution automatically: the CSP references the API, the
 * distribution references the CSP, so a CORS origin referencing the distribution would be a CloudFormation
 * dependency cycle. Operators pass {@code -c dashboardOrigin=https://<DashboardUrl domain>} (see infra/README.md).
 */
public final class DashboardHosting extends Construct {

    public static final String DIR_PROPERTY = "pisync.dashboardDir";
    public static final String DIR_ENV = "PISYNC_DASHBOARD_DIR";
    /** The API base the dashboard calls (its routes live under {@code /v1}). */
    public static final String API_PREFIX = "/v1";
    /** Dashboard files not deployed from the directory: config.js is generated, README.md is not served. */
    public static final List<String> EXCLUDED_FILES = List.of("config.js", "README.md");
    /** Construct id prefix of the CDK-managed BucketDeployment function (a child of the stack). */
    public static final String DEPLOYMENT_HANDLER_PREFIX = "Custom::CDKBucketDeployment";

    private final Bucket logBucket;
    private final Bucket bucket;
    private final ResponseHeadersPolicy headers;
    private final Distribution distribution;
    private final BucketDeployment deployment;

    public DashboardHosting(Construct scope, String id, StageConfig config, Path dashboardDir, HttpApi api,
            String liveEndpoint) {
        super(scope, id);
        boolean dev = !config.isProduction();

        logBucket = Bucket.Builder.create(this, "LogBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                // CloudFront standard logging writes through the bucket ACL (awslogsdelivery).
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
                .removalPolicy(config.statefulRemovalPolicy())
                .autoDeleteObjects(dev)
                .build();

        bucket = Bucket.Builder.create(this, "SiteBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .noncurrentVersionExpiration(Duration.days(30)).build()))
                .serverAccessLogsBucket(logBucket)
                .serverAccessLogsPrefix("s3/")
                .removalPolicy(config.statefulRemovalPolicy())
                .autoDeleteObjects(dev)
                .build();

        String apiEndpoint = api.getApiEndpoint(); // https://<id>.execute-api.<region>.<suffix>, no path
        headers = ResponseHeadersPolicy.Builder.create(this, "SecurityHeaders")
                .comment("PiSync " + config.stage() + " dashboard security headers")
                .securityHeadersBehavior(ResponseSecurityHeadersBehavior.builder()
                        .strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                                .accessControlMaxAge(Duration.days(730)).includeSubdomains(true).override(true).build())
                        .contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build())
                        .frameOptions(ResponseHeadersFrameOptions.builder()
                                .frameOption(HeadersFrameOption.DENY).override(true).build())
                        .referrerPolicy(ResponseHeadersReferrerPolicy.builder()
                                .referrerPolicy(HeadersReferrerPolicy.NO_REFERRER).override(true).build())
                        .contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                                .contentSecurityPolicy(contentSecurityPolicy(apiEndpoint, liveEndpoint)).override(true).build())
                        .build())
                .build();

        distribution = Distribution.Builder.create(this, "Distribution")
                .comment("PiSync " + config.stage() + " dashboard")
                .defaultRootObject("index.html")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(bucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .responseHeadersPolicy(headers)
                        .compress(true)
                        .build())
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100)
                .enableLogging(true)
                .logBucket(logBucket)
                .logFilePrefix("cloudfront/")
                .build();

        deployment = BucketDeployment.Builder.create(this, "Deployment")
                .destinationBucket(bucket)
                .sources(List.of(
                        Source.asset(dashboardDir.toString(), AssetOptions.builder().exclude(EXCLUDED_FILES).build()),
                        Source.data("config.js", configJs(apiEndpoint))))
                .prune(true)
                .distribution(distribution)
                .distributionPaths(List.of("/*"))
                .memoryLimit(256)
                .build();

        suppressFindings();
    }

    /** The CDK-managed deployment function (a stack-level singleton, shared by every BucketDeployment). */
    public IConstruct deploymentHandler() {
        return Stack.of(this).getNode().getChildren().stream()
                .filter(c -> c.getNode().getId().startsWith(DEPLOYMENT_HANDLER_PREFIX))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + DEPLOYMENT_HANDLER_PREFIX + "* construct"));
    }

    private void suppressFindings() {
        NagSuppressions.addResourceSuppressions(distribution, List.of(
                NagPackSuppression.builder().id("AwsSolutions-CFR1")
                        .reason("The dashboard is static files for operators wherever they are; every API call it "
                                + "makes needs a Cognito token, so a geo restriction would add nothing but lock-outs.")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-CFR2")
                        .reason("No WAF: the distribution serves only public static files (GET/HEAD, cached); the "
                                + "data is behind the API's JWT authorizer and per-route throttles. A web ACL would "
                                + "cost more than the dashboard and protect nothing secret.")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-CFR4")
                        .reason("The distribution uses the default *.cloudfront.net certificate, for which CloudFront "
                                + "fixes the security policy (TLSv1); a minimum TLS version needs a custom domain "
                                + "and ACM certificate, which PiSync does not have.")
                        .build()));

        String why = "CDK-managed BucketDeployment handler (copies the dashboard asset into the site bucket and "
                + "invalidates the distribution at deploy time; never invoked otherwise): ";
        NagSuppressions.addResourceSuppressions(deploymentHandler(), List.of(
                NagPackSuppression.builder().id("AwsSolutions-L1")
                        .reason(why + "its Python runtime is chosen and upgraded by aws-cdk-lib, not by this app.")
                        .build(),
                NagPackSuppression.builder().id("Serverless-LambdaLatestVersion")
                        .reason(why + "its Python runtime is chosen and upgraded by aws-cdk-lib, not by this app.")
                        .build(),
                NagPackSuppression.builder().id("Serverless-LambdaDLQ")
                        .reason(why + "CloudFormation invokes it and reports its failure as the deployment's.")
                        .build(),
                NagPackSuppression.builder().id("Serverless-LambdaTracing")
                        .reason(why + "a deploy-time copy; CloudFormation's events are its trace.")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-IAM4")
                        .reason(why + "CDK attaches AWSLambdaBasicExecutionRole (CloudWatch Logs only) to its role.")
                        .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                                + "AWSLambdaBasicExecutionRole"))
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-IAM5")
                        .reason(why + "CDK's grants: read the CDK asset bucket's objects (s3:GetObject*, s3:GetBucket*, "
                                + "s3:List*), read/write/delete the site bucket's objects (prune), and "
                                + "cloudfront:CreateInvalidation/GetInvalidation, which CDK grants on * .")
                        .appliesTo(List.of(
                                "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
                                "Action::s3:DeleteObject*", "Action::s3:Abort*",
                                RegexAppliesTo.builder().regex("/^Resource::<DashboardHostingSiteBucket[A-Za-z0-9]+\\.Arn>\\/\\*$/").build(),
                                // the CDK asset bucket: tokens in an environment-agnostic synth, literals when the CLI knows
                                // the account and region (a real `cdk synth` / `cdk deploy`)
                                RegexAppliesTo.builder().regex("/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):s3:::"
                                        + "cdk-[a-z0-9]+-assets-(<AWS::AccountId>|[0-9]{12})-(<AWS::Region>|[a-z0-9-]+)"
                                        + "\\/\\*$/").build(),
                                "Resource::*"))
                        .build()), true);
    }

    /** {@code config.js} as deployed: the API base URL (a deploy-time token inside the string). */
    public static String configJs(String apiEndpoint) {
        return "window.PISYNC_API = '" + apiEndpoint + API_PREFIX + "';\n";
    }

    /** The dashboard may call the API and open the live-updates socket ({@code wss://...}), nothing else. */
    public static String contentSecurityPolicy(String apiEndpoint, String liveEndpoint) {
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' "
                + apiEndpoint + " " + liveEndpoint + "; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    }

    /**
     * {@code <repo>/dashboard}: the system property {@value #DIR_PROPERTY}, the environment variable
     * {@value #DIR_ENV}, or {@code dashboard/} of the repository root found by walking up from the working
     * directory (as {@link com.pisync.infra.FunctionArtifacts#locate()} does); it must hold index.html.
     */
    public static Path locateDashboardDir() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(DIR_ENV);
        }
        Path dir = null;
        if (configured != null && !configured.isBlank()) {
            dir = Paths.get(configured.trim());
        } else {
            Path start = Paths.get("").toAbsolutePath();
            for (Path d = start; d != null; d = d.getParent()) {
                if (Files.isDirectory(d.resolve("dashboard")) && Files.isRegularFile(d.resolve("infra/pom.xml"))) {
                    dir = d.resolve("dashboard");
                    break;
                }
            }
            if (dir == null) {
                throw new IllegalStateException("Cannot find the PiSync dashboard (a directory dashboard/ next to "
                        + "infra/pom.xml) above " + start + ". Run from the repository, or set -D" + DIR_PROPERTY
                        + "=<repo>/dashboard.");
            }
        }
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("index.html"))) {
            throw new IllegalStateException("Dashboard directory " + dir + " has no index.html (set -D" + DIR_PROPERTY
                    + " or " + DIR_ENV + " to the directory holding the dashboard's index.html).");
        }
        return dir;
    }

    public Bucket bucket() {
        return bucket;
    }

    public Bucket logBucket() {
        return logBucket;
    }

    public ResponseHeadersPolicy headers() {
        return headers;
    }

    public Distribution distribution() {
        return distribution;
    }

    public BucketDeployment deployment() {
        return deployment;
    }

    public String url() {
        return "https://" + distribution.getDistributionDomainName();
    }
}
