package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.pisync.local.LocalPiSync;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What the runner prints while it runs: each alert published to SNS, and a line a minute about the traffic. */
final class ActivityReports {

    private final LocalPiSync stack;
    private final PrintStream out;
    private final AtomicLong alertsPublished = new AtomicLong();

    ActivityReports(LocalPiSync stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** Prints the alerts published since the last call. */
    void printAlerts() {
        for (JsonNode alert : stack.publishedAlerts()) {
            alertsPublished.incrementAndGet();
            String type = alert.path("type").asText();
            // a device's alert names the device; a site's incident, the site and the incident
            String device = alert.hasNonNull("incident_id") ? alert.path("site").asText("?") + " (incident "
                    + alert.path("incident_id").asText() + ")"
                    : alert.path("device_id").asText(alert.path("alert").path("device_id").asText("?"));
            out.println(time() + " alert published to SNS: " + type + " " + device
                    + (type.equals("device.failure_streak") ? " (" + alert.path("consecutive_failures").asText() + " failed syncs in a row)" : ""));
        }
    }

    /** Run once a minute: prints the last minute's requests and queue messages, when there were any. */
    Runnable activityLine(ApiServer http, SqsEventSource processor) {
        return new ActivityLine(http, processor);
    }

    /** One line a minute when something happened. */
    private final class ActivityLine implements Runnable {
        private final ApiServer http;
        private final SqsEventSource processor;
        private long requests;
        private long processed;
        private long failed;

        ActivityLine(ApiServer http, SqsEventSource processor) {
            this.http = http;
            this.processor = processor;
        }

        @Override
        public void run() {
            long r = http.requests.get();
            long p = processor.messagesDone.get();
            long f = processor.messagesFailed.get();
            if (r != requests || p != processed || f != failed) {
                out.printf(Locale.ROOT, "%s last minute: %d HTTP requests, %d queue messages processed, %d redelivered;"
                        + " queue %s%n", time(), r - requests, p - processed, f - failed, queueDepth());
                requests = r;
                processed = p;
                failed = f;
            }
        }
    }

    private String queueDepth() {
        Map<QueueAttributeName, String> a = stack.sqs.getQueueAttributes(r -> r.queueUrl(stack.config.syncEventsQueueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        String dlq = stack.deadLetterQueueUrl() == null ? "0" : stack.sqs.getQueueAttributes(r -> r
                .queueUrl(stack.deadLetterQueueUrl()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) + " waiting, "
                + a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) + " in flight, " + dlq + " in the DLQ";
    }

    /** The wall-clock time the runner's lines start with. */
    static String time() {
        return java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"));
    }
}
