package com.pisync.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.pisync.aws.AwsClients;
import com.pisync.aws.PiSyncConfig;
import com.pisync.aws.dynamodb.LiveChanges;
import com.pisync.aws.dynamodb.LiveConnectionStore;
import com.pisync.aws.live.LiveFanout;
import com.pisync.aws.live.LiveSockets;
import com.pisync.aws.observability.Log;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The consumer of the devices, alerts, sync_requests and incidents streams for live updates: turns a delivery into messages
 * ({@link LiveChanges}) and sends them to the connections allowed to see each site ({@link LiveFanout}). The same
 * class runs locally with the runner's sockets. Live updates are best effort: a socket that fails is skipped, and
 * only a failure to read the connections fails the delivery (retried briefly: the CDK app caps the retries and the
 * record age, since a minute-old live update is worth less than the stream moving on).
 */
public final class LiveStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Log LOG = Log.of("live-fanout");

    private final LiveChanges changes;
    private final LiveFanout fanout;
    private final Clock clock;

    public LiveStreamHandler() {
        this(AwsClients.fromEnvironment().dynamoDb(), PiSyncConfig.fromEnvironment(),
                ManagementApiSockets.fromEnvironment(), Clock.systemUTC());
    }

    public LiveStreamHandler(DynamoDbClient dynamo, PiSyncConfig config, LiveSockets sockets, Clock clock) {
        this.changes = new LiveChanges(dynamo, config);
        this.fanout = new LiveFanout(new LiveConnectionStore(dynamo, config.liveTable()), sockets);
        this.clock = clock;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        LiveFanout.Result result = fanout.deliver(() -> changes.messages(event.getRecords(), clock.instant()));
        if (result.messages() > 0) {
            LOG.forRequest(context).info("live delivery", Map.of("records", event.getRecords() == null ? 0
                    : event.getRecords().size(), "messages", result.messages(), "sent", result.sent(), "gone", result.gone()));
        }
        return new StreamsEventResponse(List.of());
    }
}
