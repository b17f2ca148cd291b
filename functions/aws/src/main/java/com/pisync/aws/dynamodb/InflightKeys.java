package com.pisync.aws.dynamodb;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The device item's in-flight order keys as stored. An upload's keys share most of their text (the sequence
 * digits' prefix, the device's event-id pattern): two 10-event uploads' keys took 468 bytes as a string set and
 * 120 as raw DEFLATE of the sorted, unpadded keys (cost benchmark's devices), which keeps a device item of a
 * 10-event upload under the 1 KB of one write unit (docs/performance.md). A single key, or keys that do not compress, stay a string set;
 * both forms read back the same, as do items written before this form. Other entries of the set (the processor's
 * pending-upload entries, {@code u<count>:<newest key>}) are stored as given.
 */
final class InflightKeys {

    private InflightKeys() {
    }

    /** The stored value of these order keys (null: none, remove the attribute). */
    static AttributeValue value(Set<String> orderKeys) {
        if (orderKeys.isEmpty()) {
            return null;
        }
        List<String> compact = orderKeys.stream().map(DeviceItems::compactKey).sorted().toList();
        byte[] plain = String.join("\n", compact).getBytes(StandardCharsets.UTF_8);
        byte[] packed = RawDeflate.pack(plain);
        // A string set is charged its strings' bytes: compress only when that is larger.
        return packed.length < plain.length - (compact.size() - 1)
                ? AttributeValue.fromB(SdkBytes.fromByteArray(packed))
                : AttributeValue.fromSs(compact);
    }

    /** The order keys (padded, as history keys) of a stored value. */
    static Set<String> keys(AttributeValue stored) {
        List<String> compact = stored.b() != null
                ? List.of(new String(RawDeflate.unpack(stored.b().asByteArray(), "in-flight keys"), StandardCharsets.UTF_8).split("\n"))
                : stored.ss();
        Set<String> keys = new HashSet<>();
        compact.forEach(k -> keys.add(DeviceItems.expandKey(k)));
        return keys;
    }
}
