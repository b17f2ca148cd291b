package com.pisync.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class InflightKeysTest {

    private static Set<String> upload(String device, int firstSeq, int n) {
        Set<String> keys = new HashSet<>();
        for (int i = firstSeq; i < firstSeq + n; i++) {
            keys.add(String.format(Locale.ROOT, "q%019d#%s-1mzng6-%d", i, device, i));
        }
        return keys;
    }

    @Test
    void anUploadOfTenIsStoredCompressedAndReadsBack() {
        Set<String> keys = upload("ha10-0018", 22, 10);
        AttributeValue stored = InflightKeys.value(keys);
        assertNotNull(stored.b(), "ten keys of one upload compress");
        long asStringSet = keys.stream().map(DeviceItems::compactKey).mapToLong(String::length).sum();
        assertTrue(stored.b().asByteArray().length * 2 < asStringSet,
                stored.b().asByteArray().length + " bytes against " + asStringSet + " as a string set");
        assertEquals(keys, InflightKeys.keys(stored));
    }

    @Test
    void aSingleKeyStaysAStringSet() {
        Set<String> keys = Set.of("q0000000000000000041#e-41");
        AttributeValue stored = InflightKeys.value(keys);
        assertEquals(List.of("q41#e-41"), stored.ss());
        assertEquals(keys, InflightKeys.keys(stored));
    }

    @Test
    void randomEventIdsReadBackWhicheverFormIsSmaller() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            keys.add(String.format(Locale.ROOT, "t%013d#%s", 1_765_000_000_000L + i, UUID.randomUUID()));
        }
        AttributeValue stored = InflightKeys.value(keys);
        long size = stored.b() != null ? stored.b().asByteArray().length
                : stored.ss().stream().mapToLong(String::length).sum();
        long asStringSet = keys.stream().map(DeviceItems::compactKey).mapToLong(String::length).sum();
        assertTrue(size <= asStringSet);
        assertEquals(keys, InflightKeys.keys(stored));
    }

    @Test
    void itemsWrittenBeforeReadTheSame() {
        Set<String> keys = upload("d-7", 1, 3);
        AttributeValue padded = AttributeValue.fromSs(List.copyOf(keys));
        assertEquals(keys, InflightKeys.keys(padded));
    }

    @Test
    void noKeysRemoveTheAttribute() {
        assertNull(InflightKeys.value(Set.of()));
    }
}
