package com.pisync.dynamodb.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.dynamodb.Engine;
import com.pisync.dynamodb.EngineOptions;
import java.nio.file.Path;
import java.time.Clock;

/** Child process of {@link DurabilityTest}: writes items forever, printing "ACK n" after each acknowledged write. */
public final class CrashWriter {

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Engine engine = Engine.open(new EngineOptions(0, Path.of(args[0]), Clock.systemUTC(), null));
        if (engine.catalog().get("crash") == null) {
            engine.execute("CreateTable", json.readTree("{\"TableName\":\"crash\",\"BillingMode\":\"PAY_PER_REQUEST\","
                    + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                    + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
                    + "{\"AttributeName\":\"g\",\"AttributeType\":\"N\"}],"
                    + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"byG\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
                    + "\"Projection\":{\"ProjectionType\":\"ALL\"}}],"
                    + "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"}}"));
        }
        System.out.println("READY");
        System.out.flush();
        for (int i = 0;; i++) {
            engine.execute("PutItem", json.readTree("{\"TableName\":\"crash\",\"Item\":{\"pk\":{\"S\":\"item" + i
                    + "\"},\"g\":{\"N\":\"" + (i % 7) + "\"},\"pad\":{\"S\":\"" + "x".repeat(200) + "\"}}}"));
            System.out.println("ACK " + i);
            System.out.flush();
        }
    }
}
