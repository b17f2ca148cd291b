package com.pisync.local;

import com.pisync.testbed.LocalSns;
import com.pisync.testbed.TestBed;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local servers a {@link LocalPiSync} talks to: where DynamoDB, SQS and SNS answer, and how a queue
 * is subscribed to an SNS topic (the SNS emulator delivers only into its own queues). Tests use the
 * shared {@link TestBed}; the local runner ({@code local/runner}) its own persistent servers.
 */
public interface LocalServers {

    URI dynamoDbEndpoint();

    URI sqsEndpoint();

    URI snsEndpoint();

    /**
     * Creates (if missing) a queue on the SNS emulator, subscribed to the topic with envelope delivery
     * (message attributes visible in the SNS JSON envelope), and returns its URL.
     */
    String subscribeQueue(String topicArn, String queueName);

    /** Reads the queues {@link #subscribeQueue} made. */
    SqsClient subscriptionReader();

    /** The shared test servers, each started on first use. */
    static LocalServers of(TestBed bed) {
        Objects.requireNonNull(bed, "bed");
        return of(() -> bed.dynamoDb().endpoint(), () -> bed.sqs().endpoint(), bed::sns);
    }

    /** Servers already running (or started on first use, as the suppliers decide). */
    static LocalServers of(Supplier<URI> dynamoDb, Supplier<URI> sqs, Supplier<LocalSns> sns) {
        return new LocalServers() {
            @Override
            public URI dynamoDbEndpoint() {
                return dynamoDb.get();
            }

            @Override
            public URI sqsEndpoint() {
                return sqs.get();
            }

            @Override
            public URI snsEndpoint() {
                return sns.get().endpoint();
            }

            @Override
            public String subscribeQueue(String topicArn, String queueName) {
                return sns.get().subscribeQueue(topicArn, queueName);
            }

            @Override
            public SqsClient subscriptionReader() {
                return sns.get().sqsClient();
            }
        };
    }
}
