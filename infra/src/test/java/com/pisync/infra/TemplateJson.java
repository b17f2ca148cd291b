package com.pisync.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pisync.infra.constructs.FunctionFactory.LiveFunction;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** Read access to a synthesised template's JSON, shared by the template tests. */
final class TemplateJson {

    private final Template template;
    private final Map<String, Object> resources;

    TemplateJson(Template template) {
        this.template = template;
        this.resources = map(template.toJSON().get("Resources"));
    }

    Template template() {
        return template;
    }

    Map<String, Object> resource(String logicalId) {
        Object resource = resources.get(logicalId);
        assertTrue(resource != null, "no resource " + logicalId);
        return map(resource);
    }

    Map<String, Object> resource(IConstruct construct) {
        return resource(Stacks.logicalId(construct));
    }

    Map<String, Object> props(String logicalId) {
        return props(resource(logicalId));
    }

    Map<String, Object> props(IConstruct construct) {
        return props(Stacks.logicalId(construct));
    }

    static Map<String, Object> props(Map<String, Object> resource) {
        return map(resource.get("Properties"));
    }

    /** logical id → resource, for one resource type. */
    Map<String, Map<String, Object>> ofType(String type) {
        Map<String, Map<String, Object>> found = new java.util.LinkedHashMap<>();
        resources.forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                found.put(id, map(r));
            }
        });
        return found;
    }

    Map<String, Object> environment(LiveFunction live) {
        return map(map(props(live.function()).get("Environment")).get("Variables"));
    }

    /** "action -> resource" for every statement of the policies attached to the function's role (all Allow). */
    Set<String> permissions(LiveFunction live) {
        String role = Stacks.logicalId(live.role());
        Set<String> result = new TreeSet<>();
        for (Map<String, Object> policy : ofType("AWS::IAM::Policy").values()) {
            if (!asList(props(policy).get("Roles")).contains(Map.of("Ref", role))) {
                continue;
            }
            for (Map<String, Object> statement : statements(policy)) {
                assertEquals("Allow", statement.get("Effect"));
                for (Object action : asList(statement.get("Action"))) {
                    for (Object resource : asList(statement.get("Resource"))) {
                        result.add(action + " -> " + describe(resource));
                    }
                }
            }
        }
        return result;
    }

    static List<Map<String, Object>> statements(Map<String, Object> policy) {
        Map<String, Object> document = map(props(policy).get("PolicyDocument"));
        return asList(document.get("Statement")).stream().map(TemplateJson::map).collect(Collectors.toList());
    }

    /** {@code Ref} → id, {@code GetAtt} → id.Attr, {@code Join} → its parts described and concatenated. */
    static String describe(Object value) {
        if (value instanceof Map<?, ?> m && m.get("Ref") != null) {
            return String.valueOf(m.get("Ref"));
        }
        if (value instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> att) {
            return att.get(0) + "." + att.get(1);
        }
        if (value instanceof Map<?, ?> m && m.get("Fn::Join") instanceof List<?> join) {
            return ((List<?>) join.get(1)).stream().map(TemplateJson::describe)
                    .collect(Collectors.joining(String.valueOf(join.get(0))));
        }
        return String.valueOf(value);
    }

    static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    static Map<String, Object> ref(IConstruct construct) {
        return Map.of("Ref", Stacks.logicalId(construct));
    }

    /**
     * Resources aws-cdk-lib adds for the dashboard hosting (DashboardHosting): the BucketDeployment handler
     * (function, role, policy) and, in dev, the S3 auto-delete-objects provider. Not PiSync's functions.
     */
    static boolean isCdkManaged(String logicalId) {
        return logicalId.startsWith("CustomCDKBucketDeployment") || logicalId.startsWith("CustomS3AutoDeleteObjects");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static List<?> asList(Object o) {
        return o == null ? List.of() : o instanceof List<?> l ? l : List.of(o);
    }
}
