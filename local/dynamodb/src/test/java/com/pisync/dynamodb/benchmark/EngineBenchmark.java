package com.pisync.dynamodb.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.dynamodb.DynamoDbServer;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Operations per second on one thread: single writes, conditional updates, two-item transactions and GSI
 * queries (a page of 10), through the Java API (JSON in and out, no HTTP) and over HTTP with the SDK, on a
 * table preloaded with N items. Run (pin to one core with taskset):
 * {@code java -cp <test classpath> com.pisync.dynamodb.benchmark.EngineBenchmark [items=1000,1000000] [memory|file]}.
 * Reports wall-clock ops/s and ops per CPU-second of the whole process (client and server threads).
 */
public final class EngineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OPS = 20_000;
    private static final int HTTP_OPS = 3_000;

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "1000,1000000").split(",");
        String mode = args.length > 1 ? args[1] : "file";
        for (String size : sizes) {
            run(Integer.parseInt(size), mode);
        }
    }

    static void run(int items, String mode) throws Exception {
        Path dir = mode.equals("file") ? Files.createTempDirectory("enginebench") : null;
        try (DynamoDbServer server = DynamoDbServer.start(new EngineOptions(0, dir, Clock.systemUTC(), null))) {
            Engine engine = server.engine();
            engine.execute("CreateTable", JSON.readTree("{\"TableName\":\"bench\",\"BillingMode\":\"PAY_PER_REQUEST\","
                    + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
                    + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"},"
                    + "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"},{\"AttributeName\":\"at\",\"AttributeType\":\"N\"}],"
                    + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"byG\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"},"
                    + "{\"AttributeName\":\"at\",\"KeyType\":\"RANGE\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}],"
                    + "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}"));
            long t0 = System.nanoTime();
            for (int i = 0; i < items; i += 25) {
                ObjectNode req = JSON.createObjectNode();
                ArrayNode list = req.putObject("RequestItems").putArray("bench");
                for (int j = i; j < Math.min(items, i + 25); j++) {
                    list.addObject().putObject("PutRequest").set("Item", item(j));
                }
                engine.execute("BatchWriteItem", req);
            }
            System.out.printf("%n%s, %,d items preloaded in %.1f s%n", mode, items, (System.nanoTime() - t0) / 1e9);
            Random r = new Random(7);
            measure("java  PutItem", OPS, i -> engine.execute("PutItem", put(r.nextInt(items), i)));
            measure("java  GetItem", OPS, i -> engine.execute("GetItem", get(r.nextInt(items))));
            measure("java  UpdateItem (conditional)", OPS, i -> engine.execute("UpdateItem", update(r.nextInt(items))));
            measure("java  TransactWriteItems (2 updates)", OPS / 2, i -> engine.execute("TransactWriteItems", transaction(r.nextInt(items), items)));
            measure("java  Query GSI (10 items)", OPS, i -> engine.execute("Query", query(r.nextInt(100))));
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.endpoint().getPort())) {
                socket.setTcpNoDelay(true);
                java.io.OutputStream out = socket.getOutputStream();
                java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                // a minimal keep-alive client: what the server itself costs, without the SDK's share
                measure("raw   PutItem (keep-alive socket)", OPS, i -> rawPost(out, in, "PutItem", put(r.nextInt(items), i).toString()));
            }
            try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                    .httpClient(UrlConnectionHttpClient.builder().build()).build()) {
                measure("http  PutItem", HTTP_OPS, i -> {
                    int n = r.nextInt(items);
                    client.putItem(b -> b.tableName("bench").item(Map.of("pk", AttributeValue.fromS("p" + n),
                            "sk", AttributeValue.fromS("s" + n), "g", AttributeValue.fromS("g" + (n % 100)),
                            "at", AttributeValue.fromN(Integer.toString(n)), "body", AttributeValue.fromS("x".repeat(100)),
                            "v", AttributeValue.fromN(Integer.toString(i)))));
                    return null;
                });
                measure("http  UpdateItem (conditional)", HTTP_OPS, i -> {
                    int n = r.nextInt(items);
                    client.updateItem(b -> b.tableName("bench").key(Map.of("pk", AttributeValue.fromS("p" + n), "sk", AttributeValue.fromS("s" + n)))
                            .updateExpression("SET c = if_not_exists(c, :z) + :one").conditionExpression("attribute_exists(pk)")
                            .expressionAttributeValues(Map.of(":z", AttributeValue.fromN("0"), ":one", AttributeValue.fromN("1"))));
                    return null;
                });
                measure("http  Query GSI (10 items)", HTTP_OPS, i -> {
                    int g = r.nextInt(100);
                    client.query(b -> b.tableName("bench").indexName("byG").keyConditionExpression("g = :g")
                            .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("g" + g))).limit(10));
                    return null;
                });
            }
        }
    }

    static Object rawPost(java.io.OutputStream out, java.io.InputStream in, String action, String body) throws java.io.IOException {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810." + action
                + "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
        int length = -1;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return in.readNBytes(length);
    }

    private static String readLine(java.io.InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    interface Op {
        Object run(int i) throws Exception;
    }

    static void measure(String name, int ops, Op op) throws Exception {
        for (int i = 0; i < (name.startsWith("http") ? 3000 : 2000); i++) {
            op.run(i); // warm-up: the JIT has compiled the path before it is measured
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            op.run(i);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        // On a shared machine wall time includes waiting for a core; CPU time is what the work costs.
        System.out.printf("  %-38s %,9.0f ops/s   %,9.0f ops/CPU-s%n", name, ops / seconds, ops / cpuSeconds);
    }

    static ObjectNode item(int n) {
        ObjectNode item = JSON.createObjectNode();
        item.putObject("pk").put("S", "p" + n);
        item.putObject("sk").put("S", "s" + n);
        item.putObject("g").put("S", "g" + (n % 100));
        item.putObject("at").put("N", Integer.toString(n));
        item.putObject("body").put("S", "x".repeat(100));
        return item;
    }

    static JsonNode put(int n, int version) {
        ObjectNode req = JSON.createObjectNode().put("TableName", "bench");
        ObjectNode item = item(n);
        item.putObject("v").put("N", Integer.toString(version)); // a real change each time
        req.set("Item", item);
        return req;
    }

    static ObjectNode key(int n) {
        ObjectNode key = JSON.createObjectNode();
        key.putObject("pk").put("S", "p" + n);
        key.putObject("sk").put("S", "s" + n);
        return key;
    }

    static JsonNode get(int n) {
        ObjectNode req = JSON.createObjectNode().put("TableName", "bench");
        req.set("Key", key(n));
        return req;
    }

    static ObjectNode updateBody(int n) {
        ObjectNode req = JSON.createObjectNode().put("TableName", "bench");
        req.set("Key", key(n));
        req.put("UpdateExpression", "SET c = if_not_exists(c, :z) + :one");
        req.put("ConditionExpression", "attribute_exists(pk)");
        ObjectNode values = req.putObject("ExpressionAttributeValues");
        values.putObject(":z").put("N", "0");
        values.putObject(":one").put("N", "1");
        return req;
    }

    static JsonNode update(int n) {
        return updateBody(n);
    }

    static JsonNode transaction(int n, int itemCount) {
        ObjectNode req = JSON.createObjectNode();
        ArrayNode actions = req.putArray("TransactItems");
        actions.addObject().set("Update", updateBody(n));
        actions.addObject().set("Update", updateBody((n + 1) % itemCount));
        return req;
    }

    static JsonNode query(int g) {
        ObjectNode req = JSON.createObjectNode().put("TableName", "bench").put("IndexName", "byG")
                .put("KeyConditionExpression", "g = :g").put("Limit", 10);
        req.putObject("ExpressionAttributeValues").putObject(":g").put("S", "g" + g);
        return req;
    }
}
