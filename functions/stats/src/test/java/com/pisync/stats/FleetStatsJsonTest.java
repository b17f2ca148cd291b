package com.pisync.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.stats.FleetStats;
import com.pisync.aws.stats.FleetStatsJson;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetStatsJsonTest {

    @Test
    void rendersTheContractShapeWithTheTotalOfTheStatuses() {
        List<FleetStats.Day> days = new ArrayList<>();
        for (int i = 29; i >= 0; i--) {
            days.add(new FleetStats.Day(LocalDate.parse("2026-11-01").minusDays(i), i == 0 ? 3 : 0, i == 0 ? 1 : 0,
                    i == 0 ? 50 : 0));
        }
        ObjectNode json = FleetStatsJson.render(new FleetStats(new FleetStats.Devices(5, 2, 1, 3, 4),
                new FleetStats.Last24h(3, 1, 50, 12.25), days));

        assertEquals("{\"total\":15,\"healthy\":5,\"failing\":2,\"offline\":1,\"never_synced\":3,\"decommissioned\":4}",
                json.get("devices").toString());
        assertEquals("{\"syncs\":3,\"failures\":1,\"files_synced\":50,\"avg_internet_speed\":12.25}",
                json.get("last_24h").toString());
        assertEquals(30, json.get("daily").size());
        assertEquals("{\"date\":\"2026-10-03\",\"syncs\":0,\"failures\":0,\"files_synced\":0}",
                json.get("daily").get(0).toString());
        assertEquals("{\"date\":\"2026-11-01\",\"syncs\":3,\"failures\":1,\"files_synced\":50}",
                json.get("daily").get(29).toString());
    }

    @Test
    void theAverageSpeedIsNullWithoutSyncs() {
        ObjectNode json = FleetStatsJson.render(new FleetStats(new FleetStats.Devices(0, 0, 0, 0, 0),
                new FleetStats.Last24h(0, 0, 0, null), List.of()));
        assertTrue(json.get("last_24h").get("avg_internet_speed").isNull());
        assertEquals(0, json.get("devices").get("total").asLong());
    }
}
