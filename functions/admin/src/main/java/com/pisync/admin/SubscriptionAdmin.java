package com.pisync.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.audit.AuditLog;
import com.pisync.aws.dynamodb.SubscriptionStore;
import com.pisync.aws.dynamodb.SubscriptionStore.Subscription;
import com.pisync.aws.http.ApiProblem;
import com.pisync.aws.http.HttpApi;
import com.pisync.aws.views.Views;
import com.pisync.domain.FieldError;
import com.pisync.domain.Incident;
import com.pisync.domain.SiteProfile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * E-mail subscriptions to the alerts topic (contract v1.1): {@code POST /v1/subscriptions} subscribes the
 * address (SNS protocol {@code email}) with a filter policy on the message attributes {@code site} and
 * {@code type}; SNS sends the address a confirmation link, and the subscription is
 * {@code pending_confirmation} until it is followed. {@code GET} lists them with their status as SNS reports it,
 * {@code DELETE} unsubscribes.
 */
final class SubscriptionAdmin {

    /** The message types a subscription may filter on. */
    static final List<String> TYPES = List.of("device.failure_streak", "device.recovered", Incident.OPENED,
            Incident.RESOLVED);
    static final int MAX_SITES = 100;
    static final int MAX_LIST = 1000;
    private static final int MAX_EMAIL = 254;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"<>(),;:\\\\\\[\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{8,64}");

    private final SnsClient sns;
    private final String topicArn;
    private final SubscriptionStore store;
    private final AuditLog audit;
    private final Clock clock;

    SubscriptionAdmin(SnsClient sns, String topicArn, SubscriptionStore store, AuditLog audit, Clock clock) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    APIGatewayV2HTTPResponse create(JsonNode body, AuditContext context) {
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("The request body must be a JSON object.",
                    List.of(new FieldError("body", "must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        String email = null;
        JsonNode e = body.get("email");
        if (e == null || e.isNull()) {
            errors.add(new FieldError("email", "is required"));
        } else if (!e.isTextual() || e.textValue().length() > MAX_EMAIL || !EMAIL.matcher(e.textValue()).matches()) {
            errors.add(new FieldError("email", "must be an e-mail address, e.g. it@school.example"));
        } else {
            email = e.textValue();
        }
        List<String> sites = list(body, "sites", errors, MAX_SITES, v -> SiteProfile.siteProblem(v));
        List<String> types = list(body, "types", errors, TYPES.size(),
                v -> TYPES.contains(v) ? null : "must be one of " + String.join(", ", TYPES));
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest("The subscription is invalid.", errors);
        }
        String address = email;
        String arn;
        try {
            arn = sns.subscribe(r -> {
                r.topicArn(topicArn).protocol("email").endpoint(address).returnSubscriptionArn(true);
                String policy = filterPolicy(sites, types);
                if (policy != null) {
                    r.attributes(Map.of("FilterPolicy", policy));
                }
            }).subscriptionArn();
        } catch (InvalidParameterException exists) {
            // SNS: "Subscription already exists with different attributes"
            throw new ApiProblem(409, "/problems/conflict", "Conflict", "This address is subscribed already with "
                    + "another filter; delete that subscription first.",
                    List.of(new FieldError("email", "is subscribed already with other sites or types")));
        }
        Subscription sub = new Subscription(idOf(arn), arn, email, sites, types, clock.instant());
        store.put(sub);
        ObjectNode view = view(sub, status(arn));
        audit.record(context.entry("subscription.create", "subscription", sub.id(), null, view));
        return HttpApi.json(201, view);
    }

    APIGatewayV2HTTPResponse list() {
        List<ObjectNode> items = new ArrayList<>();
        String after = null;
        do {
            SubscriptionStore.Page page = store.page(after, 100);
            page.items().forEach(s -> items.add(view(s, status(s.arn()))));
            after = page.nextAfter();
        } while (after != null && items.size() < MAX_LIST);
        return HttpApi.json(200, Views.list(items, null));
    }

    APIGatewayV2HTTPResponse delete(APIGatewayV2HTTPEvent request, AuditContext context) {
        Map<String, String> path = request.getPathParameters();
        String id = path == null ? null : path.get("subscription_id");
        Subscription sub = id == null || !ID.matcher(id).matches() ? null : store.get(id);
        if (sub == null) {
            throw ApiProblem.notFound("No subscription '" + id + "'.");
        }
        ObjectNode before = view(sub, status(sub.arn()));
        try {
            sns.unsubscribe(r -> r.subscriptionArn(sub.arn()));
        } catch (NotFoundException | InvalidParameterException gone) {
            // unsubscribed already (the link in every e-mail), or a confirmation SNS let expire
        }
        store.delete(id);
        audit.record(context.entry("subscription.delete", "subscription", id, before, null));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of()).build();
    }

    /** "pending_confirmation" until the address confirms; "unsubscribed" once SNS no longer has it. */
    String status(String arn) {
        try {
            Map<String, String> a = sns.getSubscriptionAttributes(r -> r.subscriptionArn(arn)).attributes();
            return "true".equals(a.get("PendingConfirmation")) ? "pending_confirmation" : "confirmed";
        } catch (NotFoundException | InvalidParameterException gone) {
            return "unsubscribed";
        }
    }

    /** {"site": [...], "type": [...]}, only the lists given; null when neither (every message). */
    static String filterPolicy(List<String> sites, List<String> types) {
        if (sites == null && types == null) {
            return null;
        }
        ObjectNode policy = HttpApi.JSON.createObjectNode();
        if (sites != null) {
            ArrayNode a = policy.putArray("site");
            sites.forEach(a::add);
        }
        if (types != null) {
            ArrayNode a = policy.putArray("type");
            types.forEach(a::add);
        }
        return policy.toString();
    }

    static ObjectNode view(Subscription s, String status) {
        ObjectNode n = HttpApi.JSON.createObjectNode();
        n.put("subscription_id", s.id());
        n.put("email", s.email());
        putList(n, "sites", s.sites());
        putList(n, "types", s.types());
        n.put("status", status);
        n.put("created_at", Views.time(s.createdAt()));
        return n;
    }

    private static void putList(ObjectNode n, String name, List<String> values) {
        if (values == null) {
            n.putNull(name);
        } else {
            ArrayNode a = n.putArray(name);
            values.forEach(a::add);
        }
    }

    /** The id in the API: the last part of the subscription ARN ({@code <topic ARN>:<uuid>}). */
    static String idOf(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private static List<String> list(JsonNode body, String field, List<FieldError> errors, int max,
            java.util.function.Function<String, String> problem) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.isEmpty() || v.size() > max) {
            errors.add(new FieldError(field, "must be an array of 1 to " + max + " strings, or left out for all"));
            return null;
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String p = item.isTextual() ? problem.apply(item.textValue()) : "must be a string";
            if (p != null) {
                errors.add(new FieldError(field + "[" + i + "]", p));
            } else if (!values.add(item.textValue())) {
                errors.add(new FieldError(field + "[" + i + "]", "is listed twice"));
            }
        }
        return List.copyOf(values);
    }
}
