package com.pisync.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * An SQS queue in memory for the fast ingest target, refusing what SQS refuses: more than 10 entries
 * or 256 KiB a batch, and characters outside those SQS allows in a message body
 * (#x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF).
 */
final class InMemorySqs implements SqsClient {

    final List<String> sent = new ArrayList<>();
    int requests;

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        requests++;
        List<SendMessageBatchRequestEntry> entries = request.entries();
        if (entries.isEmpty() || entries.size() > 10) {
            throw new IllegalArgumentException("SQS: a batch has 1 to 10 entries, got " + entries.size());
        }
        int bytes = 0;
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        for (SendMessageBatchRequestEntry e : entries) {
            bytes += e.messageBody().getBytes(StandardCharsets.UTF_8).length;
            requireAllowedCharacters(e.messageBody());
            ok.add(SendMessageBatchResultEntry.builder().id(e.id()).messageId("m" + sent.size()).build());
        }
        if (bytes > 256 * 1024) {
            throw new IllegalArgumentException("SQS: batch of " + bytes + " bytes is above 256 KiB");
        }
        entries.forEach(e -> sent.add(e.messageBody()));
        return SendMessageBatchResponse.builder().successful(ok).failed(List.of()).build();
    }

    private static void requireAllowedCharacters(String body) {
        body.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed) {
                throw InvalidMessageContentsException.builder()
                        .message("Invalid characters found (U+" + Integer.toHexString(c) + ")").build();
            }
        });
    }

    void reset() {
        sent.clear();
        requests = 0;
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
