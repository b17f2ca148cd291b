package com.pisync.dynamodb.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The worked examples of AWS's "DynamoDB read and write operations" (capacity unit consumption) page. */
class CapacityUnitsTest {

    @Test
    void aReadOf3500BytesCostsOneUnitOrHalfWhenEventuallyConsistent() {
        assertEquals(1.0, Consumption.readUnits(3500, true));
        assertEquals(0.5, Consumption.readUnits(3500, false));
    }

    @Test
    void aReadOf8KbCostsTwoUnitsOneEventuallyConsistentFourTransactional() {
        assertEquals(2.0, Consumption.readUnits(8 * 1024, true));
        assertEquals(1.0, Consumption.readUnits(8 * 1024, false));
        assertEquals(4.0, 2 * Consumption.readUnits(8 * 1024, true));
    }

    @Test
    void aReadOfAMissingItemStillCostsTheMinimum() {
        assertEquals(1.0, Consumption.readUnits(0, true));
        assertEquals(0.5, Consumption.readUnits(0, false));
    }

    @Test
    void batchGetRoundsEachItemWhileQueryRoundsTheSum() {
        // BatchGetItem of a 1.5 KB and a 6.5 KB item: 4 KB + 8 KB = 3 units
        assertEquals(3.0, Consumption.readUnits(1536, true) + Consumption.readUnits(6656, true));
        // Query over the same two items: 8 KB in total = 2 units
        assertEquals(2.0, Consumption.readUnits(1536 + 6656, true));
    }

    @Test
    void writesRoundUpToWholeKilobytesAtLeastOne() {
        assertEquals(1.0, Consumption.writeUnits(500));
        assertEquals(1.0, Consumption.writeUnits(1024));
        assertEquals(2.0, Consumption.writeUnits(1500));
        assertEquals(3.0, Consumption.writeUnits(2560));
        assertEquals(1.0, Consumption.writeUnits(0));
    }

    @Test
    void indexesModeReportsTableAndIndexesSeparately() {
        Consumption c = new Consumption("t");
        c.tableWrite(2);
        c.indexWrite("byDevice", true, 2);
        c.indexWrite("byTime", false, 1);
        c.scale(2);
        ObjectNode json = c.toJson(Consumption.Mode.INDEXES);
        assertEquals(10.0, json.get("CapacityUnits").asDouble());
        assertEquals(10.0, json.get("WriteCapacityUnits").asDouble());
        assertEquals(4.0, json.get("Table").get("CapacityUnits").asDouble());
        assertEquals(4.0, json.get("GlobalSecondaryIndexes").get("byDevice").get("CapacityUnits").asDouble());
        assertEquals(2.0, json.get("LocalSecondaryIndexes").get("byTime").get("WriteCapacityUnits").asDouble());
        ObjectNode total = c.toJson(Consumption.Mode.TOTAL);
        assertEquals(false, total.has("Table"));
        assertEquals("t", total.get("TableName").asText());
    }
}
