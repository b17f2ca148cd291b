package com.pisync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteProfileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

    private static SiteProfile parse(String json) {
        try {
            return SiteProfile.parse("school-7", JSON.readTree(json.replace('\'', '"')), NOW);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> fields(String json) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parse(json));
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aFullProfileIsRead() {
        SiteProfile p = parse("{'name':'École Jules Ferry','timezone':'Europe/Paris','school_days':['fri','mon'],"
                + "'school_hours':{'from':'08:00','to':'15:30'},'holidays':[{'from':'2026-12-24','to':'2027-01-01',"
                + "'name':'winter'},{'from':'2026-11-11','to':'2026-11-11'}],'offline_after_hours':7.5,"
                + "'incident_ratio':0.4,'incident_min_devices':5}");
        assertEquals("École Jules Ferry", p.name());
        assertEquals(List.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), p.schoolDays());
        assertEquals(480, p.schoolFrom());
        assertEquals(930, p.schoolTo());
        assertEquals("2026-11-11", p.holidays().get(0).from().toString(), "sorted by date");
        assertEquals(7.5, p.offlineAfterHours());
        assertEquals(0.4, p.incidentRatio());
        assertEquals(5, p.incidentMinDevices());
        assertTrue(p.configured());
    }

    @Test
    void absentFieldsTakeTheContractDefaults() {
        SiteProfile p = parse("{}");
        assertEquals("school-7", p.name());
        assertEquals("UTC", p.timezone());
        assertEquals(7, p.schoolDays().size());
        assertNull(p.schoolFrom());
        assertEquals(24, p.offlineAfterHours());
        assertEquals(0.5, p.incidentRatio());
        assertEquals(3, p.incidentMinDevices());
        assertTrue(p.calendar().isAlways());
        assertEquals(SiteProfile.defaults("school-7").offlineAfterHours(), p.offlineAfterHours());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'timezone':'Mars/Olympus'}|timezone",
            "{'timezone':'+02:00'}|timezone",
            "{'timezone':3}|timezone",
            "{'school_days':[]}|school_days",
            "{'school_days':'mon'}|school_days",
            "{'school_days':['mon','lundi']}|school_days[1]",
            "{'school_days':['mon','mon']}|school_days[1]",
            "{'school_hours':{'from':'15:00','to':'08:00'}}|school_hours",
            "{'school_hours':{'from':'08:00','to':'08:00'}}|school_hours",
            "{'school_hours':{'from':'8:00','to':'15:00'}}|school_hours.from",
            "{'school_hours':{'from':'08:00','to':'25:00'}}|school_hours.to",
            "{'school_hours':{'from':'08:00'}}|school_hours.to",
            "{'school_hours':'08-15'}|school_hours",
            "{'holidays':[{'from':'2027-01-02','to':'2027-01-01'}]}|holidays[0]",
            "{'holidays':[{'from':'2026-12-20','to':'2027-01-03'},{'from':'2027-01-03','to':'2027-01-05'}]}|holidays[1]",
            "{'holidays':[{'from':'2027-02-01','to':'2027-02-10'},{'from':'2027-01-25','to':'2027-02-01'}]}|holidays[1]",
            "{'holidays':[{'from':'2026-02-30','to':'2026-03-01'}]}|holidays[0].from",
            "{'holidays':[{'to':'2026-03-01'}]}|holidays[0].from",
            "{'holidays':{}}|holidays",
            "{'offline_after_hours':0}|offline_after_hours",
            "{'offline_after_hours':-1}|offline_after_hours",
            "{'offline_after_hours':'24'}|offline_after_hours",
            "{'incident_ratio':1.5}|incident_ratio",
            "{'incident_ratio':-0.1}|incident_ratio",
            "{'incident_min_devices':1}|incident_min_devices",
            "{'incident_min_devices':2.5}|incident_min_devices",
            "{'name':''}|name",
    })
    void everyBadFieldIsNamed(String json, String field) {
        assertEquals(List.of(field), fields(json));
    }

    @Test
    void moreThanTwoHundredHolidaysAreRefused() {
        StringBuilder b = new StringBuilder("{'holidays':[");
        for (int i = 0; i < 201; i++) {
            String day = java.time.LocalDate.parse("2027-01-01").plusDays(i).toString();
            b.append(i == 0 ? "" : ",").append("{'from':'").append(day).append("','to':'").append(day).append("'}");
        }
        assertEquals(List.of("holidays"), fields(b.append("]}").toString()));
        assertEquals(200, parse(b.toString().replaceFirst("\\{'from':'2027-01-01','to':'2027-01-01'},", "")).holidays().size());
    }

    @Test
    void everyErrorIsReportedAtOnceAndNonObjectsAreRefused() {
        assertEquals(List.of("timezone", "school_hours", "incident_ratio"),
                fields("{'timezone':'x','school_hours':{'from':'10:00','to':'09:00'},'incident_ratio':2}"));
        assertEquals(List.of("body"), fields("[]"));
    }

    @Test
    void siteIdsAreCheckedLikeDeviceSites() {
        assertNull(SiteProfile.siteProblem("school-7"));
        assertTrue(SiteProfile.siteProblem(" x") != null);
        assertTrue(SiteProfile.siteProblem("x".repeat(65)) != null);
        assertTrue(SiteProfile.siteProblem("") != null);
    }
}
