package com.pisync.aws.dynamodb;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The scalar attributes of one DynamoDB stream image (a record's keys, old or new image), read as text (binary
 * ones as bytes): the
 * stream's attribute types stay here, in the storage package. A missing image is empty.
 */
public final class StreamImage {

    public static final StreamImage NONE = new StreamImage(Map.of(), Map.of(), Map.of());

    private final Map<String, String> strings;
    private final Map<String, String> numbers;
    private final Map<String, byte[]> binaries;

    private StreamImage(Map<String, String> strings, Map<String, String> numbers, Map<String, byte[]> binaries) {
        this.strings = strings;
        this.numbers = numbers;
        this.binaries = binaries;
    }

    /** The image of a stream record (null: none). */
    public static StreamImage of(Map<String, AttributeValue> image) {
        if (image == null || image.isEmpty()) {
            return NONE;
        }
        Map<String, String> strings = new HashMap<>();
        Map<String, String> numbers = new HashMap<>();
        Map<String, byte[]> binaries = new HashMap<>();
        image.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            if (value.getS() != null) {
                strings.put(name, value.getS());
            }
            if (value.getN() != null) {
                numbers.put(name, value.getN());
            }
            if (value.getB() != null) {
                java.nio.ByteBuffer b = value.getB().duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                binaries.put(name, bytes);
            }
        });
        return new StreamImage(Map.copyOf(strings), Map.copyOf(numbers), Map.copyOf(binaries));
    }

    /** The string attribute, or null (absent, or of another type). */
    public String string(String name) {
        return strings.get(name);
    }

    /** The number attribute as DynamoDB writes it, or null (absent, or of another type). */
    public String number(String name) {
        return numbers.get(name);
    }

    /** The binary attribute's bytes, or null (absent, or of another type). */
    public byte[] bytes(String name) {
        byte[] b = binaries.get(name);
        return b == null ? null : b.clone();
    }

    /** Names of the scalar attributes present. */
    public Set<String> names() {
        Set<String> all = new java.util.HashSet<>(strings.keySet());
        all.addAll(numbers.keySet());
        all.addAll(binaries.keySet());
        return all;
    }

    public boolean isEmpty() {
        return strings.isEmpty() && numbers.isEmpty() && binaries.isEmpty();
    }
}
