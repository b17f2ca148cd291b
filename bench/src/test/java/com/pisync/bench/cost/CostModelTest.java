package com.pisync.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost model's arithmetic on known inputs. */
class CostModelTest {

    private static final double EPS = 1e-9;

    /** One upload, one ingest invocation of 10 ms, 2 WCU + 1 RCU, 1 SQS request, 200 log bytes per event. */
    private static CostModel.PerEvent simple() {
        return new CostModel.PerEvent(1.0, Map.of("ingest", 1.0), Map.of("ingest", 0.010 * 0.5),
                Map.of("ingest", 0.020 * 0.5), 1.0, 0.0, Map.of("devices", new double[] {1.0, 2.0}), 100.0, 100.0, 1.0);
    }

    @Test
    void onDemandLineItemsPriceEachQuantity() {
        List<CostModel.LineItem> items = CostModel.perMillion(simple(), CostModel.Mode.ON_DEMAND, CostModel.LogClass.STANDARD);
        assertEquals(1.00, item(items, "API Gateway"), EPS);
        assertEquals(0.20, item(items, "Lambda requests"), EPS);
        assertEquals(0.005 * 1e6 * 0.0000133334, item(items, "Lambda duration"), EPS);
        assertEquals(0.40, item(items, "SQS"), EPS);
        assertEquals(2 * 0.625, item(items, "DynamoDB writes"), EPS);
        assertEquals(0.125, item(items, "DynamoDB reads"), EPS);
        // 100 bytes of function logs at the Standard price, 100 of access log at Infrequent Access (the infra's class)
        assertEquals(100 * 1e6 / 1e9 * 0.50 + 100 * 1e6 / 1e9 * 0.25, item(items, "CloudWatch Logs"), EPS);
        assertEquals(1.00 + 0.20 + 0.0666670 + 0.40 + 1.25 + 0.125 + 0.075, CostModel.total(items), 1e-6);
    }

    @Test
    void provisionedCapacityIsPricedPerUnitHourAtTheTargetUtilisation() {
        List<CostModel.LineItem> items = CostModel.perMillion(simple(), CostModel.Mode.PROVISIONED,
                CostModel.LogClass.INFREQUENT_ACCESS);
        // 2 million WCU-seconds = 555.6 WCU-hours, at 70 % = 793.7 hours of provisioned WCU
        assertEquals(2e6 / 3600 / 0.7 * 0.00065, item(items, "DynamoDB writes"), EPS);
        assertEquals(1e6 / 3600 / 0.7 * 0.00013, item(items, "DynamoDB reads"), EPS);
        assertEquals(200 * 1e6 / 1e9 * 0.25, item(items, "CloudWatch Logs"), EPS);
    }

    @Test
    void httpApiRequestsAboveThreeHundredMillionAreCheaper() {
        assertEquals(300.0, PriceTable.httpApi(300e6), EPS);
        assertEquals(300.0 + 700 * 0.90, PriceTable.httpApi(1e9), EPS);
    }

    @Test
    void provisionedMonthHasAFloorPerTableAndIndex() {
        // 500 events a day is far below 5 units on every resource: the floor is the bill
        Map<String, Double> bill = CostModel.monthly(simple(), 500, CostModel.Mode.PROVISIONED,
                CostModel.LogClass.STANDARD, List.of("devices", "devices/by_status"), 5);
        double floor = 2 * 720 * 5 * (0.00065 + 0.00013);
        assertEquals(floor, bill.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDB"))
                .mapToDouble(Map.Entry::getValue).sum(), EPS);
    }

    @Test
    void modelledDurationIsCpuAtTheMemorysShareOfAVcpuPlusCallLatency() {
        Counts c = new Counts(Map.of("ingest", new Counts.Function(10, 500, 500, 50, 60, 0, 0, 20.0)),
                Map.of("ingest|DynamoDb.Query", 10L, "ingest|Sqs.SendMessageBatch", 10L), Map.of(), Map.of(), 0, 0);
        // 20 ms CPU at 512/1769 of a vCPU, plus 10 Queries × 5 ms and 10 sends × 10 ms
        assertEquals(20.0 / (512 / 1769.0) + 50 + 100, CostModel.modelledMillis(c, "ingest"), 1e-6);
    }

    @Test
    void accessLogLineIsTheInfraFormatFilledIn() {
        assertEquals(123 + 26, CostModel.accessLogBytesPerRequest());
    }

    private static double item(List<CostModel.LineItem> items, String prefix) {
        return items.stream().filter(i -> i.name().startsWith(prefix)).findFirst().orElseThrow().perMillion();
    }
}
