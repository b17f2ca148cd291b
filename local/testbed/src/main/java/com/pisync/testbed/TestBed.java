package com.pisync.testbed;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One of each local server per JVM, each started on first use and all stopped by a JVM shutdown hook.
 * Tests that share it should use unique table/queue/topic names (servers are not reset between tests).
 */
public final class TestBed {

    private static final TestBed SHARED = new TestBed();

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private LocalDynamoDb dynamoDb;
    private LocalSqs sqs;
    private LocalSns sns;
    private LocalCognito cognito;
    private boolean hookInstalled;

    private TestBed() {
    }

    public static TestBed shared() {
        return SHARED;
    }

    /** The shared in-memory DynamoDB engine, started on first call. */
    public synchronized LocalDynamoDb dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = register(LocalDynamoDb.start());
        }
        return dynamoDb;
    }

    /** The shared ElasticMQ, started on first call. */
    public synchronized LocalSqs sqs() {
        if (sqs == null) {
            sqs = register(LocalSqs.start());
        }
        return sqs;
    }

    /** The shared fauxqs (SNS), started on first call. */
    public synchronized LocalSns sns() {
        if (sns == null) {
            sns = register(LocalSns.start());
        }
        return sns;
    }

    /** The shared cognito-local (Cognito user pools), started on first call. */
    public synchronized LocalCognito cognito() {
        if (cognito == null) {
            cognito = register(LocalCognito.start());
        }
        return cognito;
    }

    private <T extends AutoCloseable> T register(T server) {
        started.push(server);
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "pisync-testbed-shutdown"));
            hookInstalled = true;
        }
        return server;
    }

    private synchronized void stopAll() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // keep stopping the others
            }
        }
    }
}
