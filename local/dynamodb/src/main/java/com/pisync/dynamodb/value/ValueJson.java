package com.pisync.dynamodb.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB JSON ({@code {"S": "x"}}, {@code {"N": "1"}}, ...) to and from {@link Value}, with DynamoDB's
 * validation messages for empty, ambiguous, duplicate and malformed values.
 */
public final class ValueJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ValueJson() {
    }

    /** An item: attribute name to value. {@code null} JSON gives {@code null}. */
    public static Map<String, Value> item(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new DynamoException("SerializationException", "Start of structure or map found where not expected");
        }
        Map<String, Value> item = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            item.put(e.getKey(), value(e.getValue()));
        }
        return item;
    }

    public static Value value(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new DynamoException("SerializationException", "Unexpected value type in payload");
        }
        int set = 0;
        String type = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                set++;
                type = e.getKey();
            }
        }
        if (set == 0) {
            throw DynamoException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (set > 1) {
            throw DynamoException.validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        JsonNode v = node.get(type);
        return switch (type) {
            case "S" -> new Value.S(text(v));
            case "N" -> new Value.N(Numbers.parse(text(v)));
            case "B" -> new Value.B(binary(v));
            case "BOOL" -> v.isBoolean() ? (v.booleanValue() ? Value.Bool.TRUE : Value.Bool.FALSE) : bad();
            case "NULL" -> {
                if (!v.isBoolean()) {
                    bad();
                }
                if (!v.booleanValue()) {
                    throw DynamoException.validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                yield Value.Null.INSTANCE;
            }
            case "SS" -> {
                Set<String> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                for (JsonNode e : array(v, "string")) {
                    raw.add(text(e));
                }
                values.addAll(raw);
                checkSet(raw.size(), values.size(), "string", raw);
                yield new Value.SS(values);
            }
            case "NS" -> {
                Set<BigDecimal> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                for (JsonNode e : array(v, "number")) {
                    String t = text(e);
                    raw.add(t);
                    values.add(Numbers.parse(t));
                }
                checkSet(raw.size(), values.size(), "number", raw);
                yield new Value.NS(values);
            }
            case "BS" -> {
                Set<Value.B> values = new LinkedHashSet<>();
                List<String> raw = new ArrayList<>();
                for (JsonNode e : array(v, "binary")) {
                    raw.add(e.asText());
                    values.add(new Value.B(binary(e)));
                }
                checkSet(raw.size(), values.size(), "binary", raw);
                yield new Value.BS(values);
            }
            case "M" -> {
                if (!v.isObject()) {
                    bad();
                }
                yield new Value.M(item(v));
            }
            case "L" -> {
                if (!v.isArray()) {
                    bad();
                }
                List<Value> values = new ArrayList<>();
                for (JsonNode e : v) {
                    values.add(value(e));
                }
                yield new Value.L(values);
            }
            default -> throw new DynamoException("SerializationException",
                    "Unknown attribute value type: " + type);
        };
    }

    public static ObjectNode toJson(Map<String, Value> item) {
        ObjectNode node = JSON.objectNode();
        item.forEach((name, value) -> node.set(name, toJson(value)));
        return node;
    }

    public static ObjectNode toJson(Value value) {
        ObjectNode node = JSON.objectNode();
        if (value instanceof Value.S s) {
            node.put("S", s.value());
        } else if (value instanceof Value.N n) {
            node.put("N", n.text());
        } else if (value instanceof Value.B b) {
            node.put("B", b.base64());
        } else if (value instanceof Value.Bool b) {
            node.put("BOOL", b.value());
        } else if (value instanceof Value.Null) {
            node.put("NULL", true);
        } else if (value instanceof Value.SS ss) {
            ArrayNode a = node.putArray("SS");
            ss.values().forEach(a::add);
        } else if (value instanceof Value.NS ns) {
            ArrayNode a = node.putArray("NS");
            ns.values().forEach(n -> a.add(n.toPlainString()));
        } else if (value instanceof Value.BS bs) {
            ArrayNode a = node.putArray("BS");
            bs.values().forEach(b -> a.add(b.base64()));
        } else if (value instanceof Value.M m) {
            node.set("M", toJson(m.values()));
        } else if (value instanceof Value.L l) {
            ArrayNode a = node.putArray("L");
            l.values().forEach(v -> a.add(toJson(v)));
        }
        return node;
    }

    private static String text(JsonNode v) {
        if (!v.isTextual()) {
            if (v.isNumber() || v.isBoolean()) {
                // The SDKs always send text; a bare JSON number is what DynamoDB's parser calls a type error.
                throw new DynamoException("SerializationException",
                        "NUMBER_VALUE cannot be converted to String");
            }
            bad();
        }
        return v.textValue();
    }

    private static byte[] binary(JsonNode v) {
        String text = text(v);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new DynamoException("SerializationException", "Base64 encoded binary value is invalid: " + text);
        }
    }

    private static Iterable<JsonNode> array(JsonNode v, String kind) {
        if (!v.isArray()) {
            bad();
        }
        if (v.isEmpty()) {
            throw DynamoException.validation(
                    "One or more parameter values were invalid: An " + kind + " set  may not be empty");
        }
        return v;
    }

    private static void checkSet(int given, int distinct, String kind, List<String> raw) {
        if (given != distinct) {
            throw DynamoException.validation(
                    "One or more parameter values were invalid: Input collection " + raw + " contains duplicates.");
        }
    }

    private static <T> T bad() {
        throw new DynamoException("SerializationException", "Unexpected value type in payload");
    }
}
