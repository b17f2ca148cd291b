package com.pisync.infra.constructs;

import com.pisync.infra.StageConfig;
import software.amazon.awscdk.Duration;
import java.util.List;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The device-alert SNS topic ({@code device.failure_streak} / {@code device.recovered}): encrypted
 * with a customer-managed KMS key (rotated), TLS-only, with an optional email subscription
 * ({@code -c alertEmail=...}). Subscribers filter on the {@code type}, {@code site} and
 * {@code device_id} message attributes.
 */
public final class Alerts extends Construct {

    private final Key key;
    private final Topic topic;

    public Alerts(Construct scope, String id, StageConfig stage) {
        super(scope, id);
        key = Key.Builder.create(this, "TopicKey")
                .description("PiSync " + stage.stage() + ": encrypts the device alerts topic")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(stage.isProduction() ? 30 : 7))
                .removalPolicy(stage.statefulRemovalPolicy())
                .build();
        topic = Topic.Builder.create(this, "Topic")
                .displayName("PiSync " + stage.stage() + " device alerts")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        stage.alertEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
    }

    public Topic topic() {
        return topic;
    }

    public Key key() {
        return key;
    }

    /**
     * E-mail subscriptions to the topic ({@code /v1/subscriptions}, v1.1): Subscribe, Unsubscribe and
     * GetSubscriptionAttributes (its status), on this topic only.
     */
    public void grantManageSubscriptions(IGrantable manager) {
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(manager)
                .actions(List.of("sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes"))
                .resourceArns(List.of(topic.getTopicArn()))
                .build());
    }

    /** sns:Publish on the topic, plus the two KMS actions SNS needs from a publisher of an encrypted topic. */
    public void grantPublish(IGrantable publisher) {
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(publisher)
                .actions(List.of("sns:Publish"))
                .resourceArns(List.of(topic.getTopicArn()))
                .build());
        key.grant(publisher, "kms:Decrypt", "kms:GenerateDataKey");
    }
}
