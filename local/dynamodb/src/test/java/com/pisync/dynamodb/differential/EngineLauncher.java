package com.pisync.dynamodb.differential;

import com.pisync.dynamodb.DynamoDbServer;
import com.pisync.dynamodb.EngineOptions;

/** Starts our engine in memory on a free port, as the subject of the comparison. */
final class EngineLauncher {

    private EngineLauncher() {
    }

    static Target start() {
        DynamoDbServer server = DynamoDbServer.start(EngineOptions.inMemory());
        return new Target("engine", false, server.endpoint(), server);
    }
}
