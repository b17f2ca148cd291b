package com.pisync.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds device uploads from fuzzer input, structure-aware: mostly well-formed API Gateway v2 events
 * whose JSON bodies are mostly valid sync events, with fuzzed fields, types, sizes, Unicode, numbers
 * and dates, single and batch, headers (the device token's variants, content types) and the base64
 * flag. Raw JSON text is written here, not by a serializer, so the fuzzer also reaches duplicate keys,
 * huge numbers, escapes and broken syntax.
 */
final class Uploads {

    /** The device the valid token belongs to. */
    static final String DEVICE = "pibook-1";
    /** Another registered device. */
    static final String OTHER = "pibook-2";
    /** A decommissioned device: its token no longer works. */
    static final String GONE = "pibook-gone";

    /** The tokens the fuzzer can send; {@link #authorization} picks among them. */
    record Tokens(String current, String replaced, String otherDevice, String decommissioned) {
    }

    /** One fuzzed request and what was put into it. */
    record Upload(APIGatewayV2HTTPEvent event, byte[] bodyBytes, boolean bodyIsDecodable) {
    }

    private static final String[] FIELDS = {"device_id", "event_id", "timestamp", "seq", "total_files_synced",
        "total_errors", "internet_speed", "error_code", "error_message", "pending_files", "command_id"};

    private static final String[] ODD_CHARS = {
        "\u0430", // Cyrillic a
        "\u043e", // Cyrillic o
        "\uff10", // fullwidth 0
        "\uff41", // fullwidth a
        "\u200b", // zero-width space
        "\ufeff", // BOM / zero-width no-break space
        "\u0301", // combining acute (NFD)
        "\u00e9", // e-acute (NFC)
        "\u202e", // right-to-left override
        "\u0000", "\u001f", "\u007f",
        "\ud83d\ude00", // emoji (surrogate pair)
        "\ud800", // lone high surrogate
        "\udc00", // lone low surrogate
        "\ufffe", "\uffff", // non-characters
        "\u0661", // Arabic-Indic digit one
        "\"", "\\", "/", "#", "%", "\n", " ",
    };

    private static final String[] ID_VARIANTS = {
        DEVICE, DEVICE, DEVICE, DEVICE, DEVICE, DEVICE, OTHER, GONE, "PIBOOK-1", "PiBook-1", " pibook-1",
        "pibook-1 ", "pib\u043eok-1", "pibook\uff0d1", "pibook-\uff11", "pibook-1\u200b", "pibook-1\ufeff",
        "", "x".repeat(64), "x".repeat(65), "pibook/1", "pibook 1", "pibook-1\n", "p\u0069\u0307book-1",
    };

    private static final String[] TIMES = {
        "2026-11-01T08:03:00Z", "2026-11-01T08:03:00.123Z", "2026-11-01T13:33:00+05:30",
        "2026-10-31T20:03:00-12:00", "2026-11-01T08:03:00.123456789Z", "2026-11-01T08:03:00.1234567891Z",
        "2026-11-01T08:03:00", "2026-11-01 08:03:00Z", "2026-11-01t08:03:00z", "2026-11-01T08:03Z",
        "2016-12-31T23:59:60Z", "2017-01-01T05:29:60+05:30", "2026-11-01T23:59:60Z", "2026-11-01T08:03:60Z",
        "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00+01:00",
        "2026-11-02T09:00:00Z", "2026-11-02T09:00:00.001Z", "2036-11-01T08:03:00Z", "9999-12-31T23:59:59Z",
        "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-02-29T00:00:00Z", "2028-02-29T00:00:00Z",
        "2026-11-01T08:03:00+18:00", "2026-11-01T08:03:00-18:00", "2026-11-01T08:03:00+18:01",
        "2026-11-01T08:03:00+0530", "2026-11-01T08:03:00+05", "2026-11-01T08:03:00-00:00",
        "2026-11-01T08:03:00+05:30:15", "2026-11-01T08:03:00UTC", "2026-11-01T08:03:00Z[Europe/Paris]",
        "2026-W44-7T08:03:00Z", "2026-305T08:03:00Z", "1793520180", "", " 2026-11-01T08:03:00Z",
    };

    private static final String[] CONTENT_TYPES = {
        "application/json", "application/json", "application/json; charset=utf-8", "text/plain",
        "application/x-www-form-urlencoded", "", "application/json; charset=utf-16", "multipart/form-data",
    };

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Uploads() {
    }

    /** A whole request: route, headers, body, base64 flag, request time. */
    static Upload request(FuzzedDataProvider d, Tokens tokens, Instant now, int maxEvents) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        int routeChoice = d.consumeInt(0, 31);
        String method = routeChoice == 0 ? "GET" : "POST";
        String path = routeChoice == 1 ? "/health" : routeChoice == 2 ? "/v1/sync-event" : "/v1/sync-events";
        if (routeChoice == 0) {
            path = d.consumeBoolean() ? "/health" : "/v1/sync-events";
        }
        event.setRouteKey(method + " " + path);
        event.setRawPath(path);
        Map<String, String> headers = new LinkedHashMap<>();
        String auth = authorization(d, tokens);
        if (auth != null) {
            headers.put(d.consumeInt(0, 9) == 0 ? "AUTHORIZATION" : "authorization", auth);
        }
        if (d.consumeInt(0, 5) != 0) {
            headers.put("content-type", pick(d, CONTENT_TYPES));
        }
        event.setHeaders(d.consumeInt(0, 40) == 0 ? null : headers);

        String text = body(d, maxEvents);
        byte[] bytes;
        boolean decodable = true;
        int encoding = d.consumeInt(0, 19);
        if (encoding == 0) {
            // API Gateway base64-encodes bodies it takes for binary.
            bytes = text.getBytes(StandardCharsets.UTF_8);
            event.setBody(Base64.getEncoder().encodeToString(bytes));
            event.setIsBase64Encoded(true);
        } else if (encoding == 1) {
            String junk = d.consumeString(16);
            event.setBody(junk);
            event.setIsBase64Encoded(true);
            bytes = null;
            decodable = false;
        } else if (encoding == 2) {
            bytes = text.getBytes(d.consumeBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.ISO_8859_1);
            event.setBody(Base64.getEncoder().encodeToString(bytes));
            event.setIsBase64Encoded(true);
        } else if (encoding == 3) {
            event.setBody(null);
            event.setIsBase64Encoded(false);
            bytes = new byte[0];
        } else {
            event.setBody(text);
            event.setIsBase64Encoded(false);
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
        long epoch = d.consumeInt(0, 15) == 0 ? 0 : now.toEpochMilli();
        event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(event.getRouteKey())
                .withRequestId("fuzz")
                .withTimeEpoch(epoch)
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                .build());
        return new Upload(event, bytes, decodable);
    }

    static String authorization(FuzzedDataProvider d, Tokens tokens) {
        return switch (d.consumeInt(0, 19)) {
            case 0 -> null;
            case 1 -> "Bearer " + tokens.replaced();
            case 2 -> "Bearer " + tokens.otherDevice();
            case 3 -> "Bearer " + tokens.decommissioned();
            case 4 -> "bearer " + tokens.current();
            case 5 -> "Bearer   " + tokens.current() + " \t";
            case 6 -> "Bearer";
            case 7 -> "Basic " + tokens.current();
            case 8 -> "Bearer " + flip(d, tokens.current());
            case 9 -> "Bearer " + d.consumeString(300);
            case 10 -> "Bearer pdt." + d.consumeString(80);
            default -> "Bearer " + tokens.current();
        };
    }

    private static String flip(FuzzedDataProvider d, String token) {
        int i = d.consumeInt(0, token.length() - 1);
        char c = d.consumeChar();
        return token.substring(0, i) + c + token.substring(i + 1);
    }

    static String body(FuzzedDataProvider d, int maxEvents) {
        int shape = d.consumeInt(0, 29);
        return switch (shape) {
            case 0 -> d.consumeString(200); // anything at all
            case 1 -> pick(d, new String[] {"", "null", "[]", "{}", "\"x\"", "42", "{\"events\":[]}",
                "{\"events\":null}", "{\"events\":{}}", "{\"events\":\"x\"}", "{", "[{}]", "{\"events\":[1,\"a\",null]}",
                "\ufeff{}", "{\"a\":1}{\"b\":2}", "[".repeat(2000), "{\"seq\":" + "9".repeat(2000) + "}"});
            case 2 -> {
                // A batch of many minimal events: the 500-event limit and its message.
                int n = d.consumeInt(0, 3) == 0 ? d.consumeInt(0, Math.max(0, maxEvents)) : d.consumeInt(0, 12);
                yield "{\"events\":[" + String.join(",", java.util.Collections.nCopies(n, "{}")) + "]}";
            }
            case 3, 4, 5, 6, 7, 8, 9, 10 -> {
                int n = d.consumeInt(1, Math.min(maxEvents, d.consumeBoolean() ? 4 : 40));
                StringBuilder b = new StringBuilder("{");
                if (d.consumeInt(0, 4) == 0) {
                    b.append("\"device_id\":").append(quoted(DEVICE, false)).append(',');
                }
                b.append("\"events\":[");
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(d.consumeInt(0, 30) == 0 ? value(d) : event(d));
                }
                yield b.append("]}").toString();
            }
            default -> event(d);
        };
    }

    /** One event object: each field valid, absent, null, mistyped or at an edge, chosen by the fuzzer. */
    static String event(FuzzedDataProvider d) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : FIELDS) {
            int choice = d.consumeInt(0, 19);
            if (choice == 0) {
                continue; // absent
            }
            String v = switch (choice) {
                case 1 -> "null";
                case 2 -> value(d); // any type
                case 3 -> edge(d, f);
                default -> valid(d, f);
            };
            if (v != null) {
                fields.put(f, v);
            }
        }
        StringBuilder b = new StringBuilder("{");
        List<Map.Entry<String, String>> entries = new java.util.ArrayList<>(fields.entrySet());
        if (d.consumeInt(0, 9) == 0) {
            entries.add(Map.entry(d.consumeBoolean() ? d.consumeString(12) : pick(d, FIELDS), value(d)));
        }
        for (int i = 0; i < entries.size(); i++) {
            b.append(i == 0 ? "" : ",").append(quoted(entries.get(i).getKey(), false)).append(':')
                    .append(entries.get(i).getValue());
        }
        return b.append('}').toString();
    }

    private static String valid(FuzzedDataProvider d, String field) {
        return switch (field) {
            case "device_id" -> d.consumeInt(0, 5) == 0 ? quoted(pick(d, ID_VARIANTS), d.consumeBoolean())
                    : quoted(DEVICE, false);
            case "event_id" -> d.consumeBoolean() ? null : quoted("evt-" + d.consumeInt(0, 50), false);
            case "timestamp" -> quoted(timestamp(d), false);
            case "seq", "pending_files" -> d.consumeBoolean() ? null : Long.toString(d.consumeLong(0, 1_000_000));
            case "total_files_synced" -> Integer.toString(d.consumeInt(0, 10_000));
            case "total_errors" -> Integer.toString(d.consumeInt(0, 3));
            case "internet_speed" -> d.consumeBoolean() ? Integer.toString(d.consumeInt(0, 1000))
                    : Double.toString(d.consumeRegularDouble(0, 1e4));
            case "error_code" -> d.consumeBoolean() ? null : quoted("E" + d.consumeInt(0, 99), false);
            case "error_message" -> d.consumeBoolean() ? null : quoted(text(d, 40), d.consumeBoolean());
            case "command_id" -> d.consumeBoolean() ? null : quoted("req_" + d.consumeInt(0, 9), false);
            default -> "null";
        };
    }

    private static String edge(FuzzedDataProvider d, String field) {
        return switch (field) {
            case "device_id" -> quoted(pick(d, ID_VARIANTS) + text(d, 3), d.consumeBoolean());
            case "event_id", "command_id" -> quoted(d.consumeBoolean() ? text(d, 70) : "x".repeat(d.consumeInt(0, 66)),
                    d.consumeBoolean());
            case "timestamp" -> quoted(d.consumeBoolean() ? pick(d, TIMES) : text(d, 40), d.consumeBoolean());
            case "error_code" -> quoted("c".repeat(d.consumeInt(0, 66)) + text(d, 2), d.consumeBoolean());
            case "error_message" -> quoted(d.consumeBoolean() ? "m".repeat(d.consumeInt(995, 1005)) : text(d, 1100),
                    d.consumeBoolean());
            default -> number(d);
        };
    }

    static String timestamp(FuzzedDataProvider d) {
        int kind = d.consumeInt(0, 9);
        if (kind == 0) {
            return pick(d, TIMES);
        }
        if (kind == 1) {
            return text(d, 40);
        }
        int yearChoice = d.consumeInt(0, 15);
        String year = switch (yearChoice) {
            case 0 -> "1970";
            case 1 -> "1969";
            case 2 -> Integer.toString(10000 + d.consumeInt(0, 9999)).substring(1);
            case 3 -> "+" + d.consumeInt(10000, 999_999_999);
            case 4 -> "2027";
            default -> "2026";
        };
        boolean near = yearChoice > 4;
        int month = near ? d.consumeInt(10, 11) : d.consumeInt(0, 13);
        int day = near ? d.consumeInt(1, 2) : d.consumeInt(0, 32);
        int hour = d.consumeInt(0, 24);
        int minute = d.consumeInt(0, 60);
        StringBuilder t = new StringBuilder(year).append('-').append(two(month)).append('-').append(two(day))
                .append(d.consumeInt(0, 20) == 0 ? (d.consumeBoolean() ? " " : "t") : "T")
                .append(two(hour)).append(':').append(two(minute));
        if (d.consumeInt(0, 9) != 0) {
            t.append(':').append(two(d.consumeInt(0, 10) == 0 ? d.consumeInt(59, 61) : d.consumeInt(0, 59)));
            if (d.consumeBoolean()) {
                int digits = d.consumeInt(1, 10);
                t.append('.');
                for (int i = 0; i < digits; i++) {
                    t.append((char) ('0' + d.consumeInt(0, 9)));
                }
            }
        }
        t.append(pick(d, new String[] {"Z", "Z", "Z", "+00:00", "+05:30", "-12:00", "+14:00", "-00:00", "z",
            "+18:00", "-18:00", "+18:30", "+0530", "+05", "", "+05:30:30", "[UTC]"}));
        return t.toString();
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    /** Any JSON value. */
    static String value(FuzzedDataProvider d) {
        return switch (d.consumeInt(0, 7)) {
            case 0 -> "null";
            case 1 -> d.consumeBoolean() ? "true" : "false";
            case 2 -> number(d);
            case 3 -> quoted(text(d, 30), d.consumeBoolean());
            case 4 -> "[" + (d.consumeBoolean() ? number(d) : "") + "]";
            case 5 -> "{\"a\":" + number(d) + "}";
            case 6 -> quoted(timestamp(d), false);
            default -> d.consumeString(8);
        };
    }

    static String number(FuzzedDataProvider d) {
        return switch (d.consumeInt(0, 24)) {
            case 0 -> "-1";
            case 1 -> Long.toString(d.consumeLong());
            case 2 -> "9223372036854775807";
            case 3 -> "9223372036854775808";
            case 4 -> "-9223372036854775808";
            case 5 -> "1e2";
            case 6 -> "1.0";
            case 7 -> "1.5";
            case 8 -> "-0";
            case 9 -> "-0.0";
            case 10 -> "1E400";
            case 11 -> "-1E400";
            case 12 -> "1e-400";
            case 13 -> "\"5\"";
            case 14 -> "NaN";
            case 15 -> "Infinity";
            case 16 -> "0x10";
            case 17 -> "01";
            case 18 -> Double.toString(d.consumeDouble());
            case 19 -> "1" + "0".repeat(d.consumeInt(18, 40));
            case 20 -> "4.9E-324";
            case 21 -> "1.7976931348623157E308";
            default -> Integer.toString(d.consumeInt(0, 1000));
        };
    }

    /** Fuzzed text with a good share of the characters that trip up identity and encodings. */
    static String text(FuzzedDataProvider d, int maxParts) {
        int parts = d.consumeInt(0, maxParts);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            if (d.consumeInt(0, 3) == 0) {
                s.append(pick(d, ODD_CHARS));
            } else {
                s.append(d.consumeString(4));
            }
        }
        return s.toString();
    }

    /**
     * A JSON string literal. Surrogates are always written as escapes (that is the only way a lone one
     * reaches the server over UTF-8); other non-ASCII characters raw or escaped.
     */
    static String quoted(String s, boolean escapeNonAscii) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || (escapeNonAscii && c > 0x7e)) {
                b.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15])
                        .append(HEX[c & 15]);
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static <T> T pick(FuzzedDataProvider d, T[] options) {
        return options[d.consumeInt(0, options.length - 1)];
    }
}
