package com.pisync.bench.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One real cold start of a PiSync function and of the hello-world anchor through the runtime interface client. No timings asserted. */
class ColdStartSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ingestAndHelloWorldAnswerTheirFirstInvocationThroughTheRuntimeInterfaceClient() throws Exception {
        Path repo = ColdStartBenchmark.repoRoot();
        ColdStartBenchmark.LambdaFunction ingest = ColdStartBenchmark.FUNCTIONS.stream()
                .filter(f -> f.name().equals("ingest")).findFirst().orElseThrow();
        assumeTrue(Files.isRegularFile(ingest.jar(repo)), "needs the ingest function's package (mvn -pl bench -am package)");
        ColdStartBenchmark bench = new ColdStartBenchmark(repo);

        ChildLambda.Result upload = bench.coldStart(ingest, ChildLambda.JvmMode.C1_ONLY);
        assertEquals("response", upload.outcome().kind(), upload.outcome().body());
        JsonNode response = JSON.readTree(upload.outcome().body());
        assertEquals(202, response.path("statusCode").asInt(), upload.outcome().body());
        assertEquals(1, JSON.readTree(response.path("body").asText()).path("accepted").size(), upload.outcome().body());
        assertTrue(ColdStartBenchmark.verdict("ingest", upload.outcome()).ok());
        assertTrue(upload.totalMs() > 0 && upload.initMs() > 0);

        ChildLambda.Result hello = bench.coldStart(ColdStartBenchmark.HELLO_WORLD, ChildLambda.JvmMode.DEFAULT);
        assertEquals("response", hello.outcome().kind(), hello.outcome().body());
        assertEquals(200, JSON.readTree(hello.outcome().body()).path("statusCode").asInt());
    }

    @Test
    void aFailedFirstResponseIsNotCountedAsASuccess() {
        RuntimeApiServer.Outcome error = new RuntimeApiServer.Outcome("error", "{\"errorMessage\":\"boom\"}", 1, 2);
        assertTrue(!ColdStartBenchmark.verdict("processor", error).ok());
        RuntimeApiServer.Outcome partial = new RuntimeApiServer.Outcome("response",
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}", 1, 2);
        assertTrue(!ColdStartBenchmark.verdict("processor", partial).ok());
        RuntimeApiServer.Outcome unauthorized = new RuntimeApiServer.Outcome("response",
                "{\"statusCode\":401,\"body\":\"{}\"}", 1, 2);
        assertTrue(!ColdStartBenchmark.verdict("ingest", unauthorized).ok());
    }
}
