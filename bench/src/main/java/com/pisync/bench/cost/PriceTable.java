package com.pisync.bench.cost;

/**
 * The AWS prices the cost figures are computed with: us-east-1, Lambda on arm64, list prices without free tiers
 * or savings plans. Dated: prices change, and docs/performance.md quotes this table with its date. The figures
 * were taken from the AWS pricing pages as quoted in issue 7 ("Performance and cost, measured"); they were not
 * re-checked online from the build machine, which has no internet access.
 */
public final class PriceTable {

    /** When this table was written down. */
    public static final String AS_OF = "2026-11-22";
    public static final String REGION = "us-east-1";

    /** API Gateway HTTP API, per million requests: first 300 million a month, then above. */
    public static final double HTTP_API_PER_MILLION = 1.00;
    public static final double HTTP_API_PER_MILLION_ABOVE_300M = 0.90;
    public static final double HTTP_API_TIER_REQUESTS = 300e6;

    /** Lambda, arm64: per million requests, per GB-second of duration (billed per 1 ms). */
    public static final double LAMBDA_PER_MILLION_REQUESTS = 0.20;
    public static final double LAMBDA_PER_GB_SECOND_ARM64 = 0.0000133334;

    /** SQS standard queue, per million requests; every 64 KiB chunk of a request's payload is one request. */
    public static final double SQS_PER_MILLION_REQUESTS = 0.40;
    public static final int SQS_CHUNK_BYTES = 64 * 1024;

    /** SNS, per million publishes (each 64 KiB chunk one publish). */
    public static final double SNS_PER_MILLION_PUBLISHES = 0.50;

    /** DynamoDB on-demand (after the November 2024 reduction): per million write / read request units. */
    public static final double DDB_ON_DEMAND_PER_MILLION_WRU = 0.625;
    public static final double DDB_ON_DEMAND_PER_MILLION_RRU = 0.125;

    /** DynamoDB provisioned: per WCU-hour and RCU-hour, and the auto-scaling target it is priced at. */
    public static final double DDB_PER_WCU_HOUR = 0.00065;
    public static final double DDB_PER_RCU_HOUR = 0.00013;
    public static final double DDB_TARGET_UTILISATION = 0.70;

    /** DynamoDB Streams read by a Lambda event source mapping: free. */
    public static final double DDB_STREAMS_LAMBDA_READS = 0.0;

    /** CloudWatch Logs ingestion per GB (priced per 10^9 bytes here, which errs high by 7 %). */
    public static final double LOGS_PER_GB_STANDARD = 0.50;
    public static final double LOGS_PER_GB_INFREQUENT_ACCESS = 0.25;
    public static final double BYTES_PER_GB = 1e9;

    /**
     * Not part of the per-request targets, shown as a separate note: DynamoDB standard table class storage, per
     * GB-month (the first 25 GB free), as listed on the same pricing page.
     */
    public static final double DDB_STORAGE_PER_GB_MONTH = 0.25;

    private PriceTable() {
    }

    /** Dollars for {@code n} provisioned-capacity units consumed, priced per unit-hour at the target utilisation. */
    static double provisioned(double unitsConsumed, double perUnitHour) {
        return unitsConsumed / 3600.0 / DDB_TARGET_UTILISATION * perUnitHour;
    }

    /** Dollars for a month's HTTP API requests, with the tier above 300 million. */
    public static double httpApi(double requestsPerMonth) {
        double first = Math.min(requestsPerMonth, HTTP_API_TIER_REQUESTS);
        double above = Math.max(0, requestsPerMonth - HTTP_API_TIER_REQUESTS);
        return first / 1e6 * HTTP_API_PER_MILLION + above / 1e6 * HTTP_API_PER_MILLION_ABOVE_300M;
    }

    /** The table as text, for the report. */
    public static String describe() {
        return String.format(java.util.Locale.ROOT, """
                prices as of %s, %s, Lambda arm64, list prices, no free tier:
                  API Gateway HTTP API   $%.2f/M requests (first 300M/month), $%.2f/M above
                  Lambda arm64           $%.2f/M requests + $%.10f/GB-s
                  SQS standard           $%.2f/M requests (each 64 KiB chunk a request)
                  SNS                    $%.2f/M publishes
                  DynamoDB on-demand     $%.3f/M WRU, $%.3f/M RRU
                  DynamoDB provisioned   $%.5f/WCU-hour, $%.5f/RCU-hour at %.0f%% target utilisation
                  DynamoDB Streams       reads by Lambda free
                  CloudWatch Logs        $%.2f/GB ingested (standard), $%.2f/GB (Infrequent Access)""",
                AS_OF, REGION, HTTP_API_PER_MILLION, HTTP_API_PER_MILLION_ABOVE_300M, LAMBDA_PER_MILLION_REQUESTS,
                LAMBDA_PER_GB_SECOND_ARM64, SQS_PER_MILLION_REQUESTS, SNS_PER_MILLION_PUBLISHES,
                DDB_ON_DEMAND_PER_MILLION_WRU, DDB_ON_DEMAND_PER_MILLION_RRU, DDB_PER_WCU_HOUR, DDB_PER_RCU_HOUR,
                DDB_TARGET_UTILISATION * 100, LOGS_PER_GB_STANDARD, LOGS_PER_GB_INFREQUENT_ACCESS);
    }
}
