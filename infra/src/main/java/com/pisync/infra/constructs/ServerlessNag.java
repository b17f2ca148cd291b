package com.pisync.infra.constructs;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.amazon.awscdk.services.sns.CfnSubscription;
import software.constructs.IConstruct;

/**
 * cdk-nag {@code ServerlessChecks} findings PiSync answers by design rather than by a resource, each with its
 * reason. Function-level ones (runtime, DLQ, tracing) are in {@link FunctionFactory}; the queue's and the schedule's
 * in their constructs; here the ones that recur on resources several constructs create (event source mappings,
 * email subscriptions), applied once the stack is complete.
 */
public final class ServerlessNag {

    private ServerlessNag() {
    }

    /** Suppresses, with reasons, the findings of every event source mapping and email subscription of the stack. */
    public static void answerByDesign(Stack stack) {
        for (IConstruct c : stack.getNode().findAll()) {
            if (c instanceof CfnEventSourceMapping esm) {
                boolean sqs = String.valueOf(esm.getEventSourceArn()).contains("Queue")
                        || esm.getNode().getPath().contains("SqsEventSource");
                suppress(esm, "Serverless-LambdaEventSourceMappingDestination", sqs
                        ? "SQS source: a message failing " + Processing.MAX_RECEIVE_COUNT + " times goes to the queue's "
                                + "redrive DLQ (alarmed); on-failure destinations do not apply to SQS event sources."
                        : "Stream source: each consumer's retry policy is deliberate — the stats function retries without "
                                + "limit (checkpointed, so a retry adds nothing twice) and live-update fan-out drops "
                                + "notifications older than its record age; neither has records to park elsewhere.");
            } else if (c instanceof CfnSubscription sub && "email".equals(sub.getProtocol())) {
                suppress(sub, "Serverless-SNSRedrivePolicy", "E-mail subscription for people (alerts, operator "
                        + "alarms): a DLQ of undeliverable e-mails would have no reader; the alarms also show on the "
                        + "dashboard.");
            }
        }
    }

    static void suppress(IConstruct resource, String id, String reason) {
        NagSuppressions.addResourceSuppressions(resource, List.of(NagPackSuppression.builder().id(id).reason(reason)
                .build()));
    }
}
