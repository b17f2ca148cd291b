package com.pisync.dynamodb.differential;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns moto's answer into what DynamoDB answers, by {@link Deviation} category: the expectation a subject
 * other than moto is held to.
 */
final class KnownDeviations {

    /**
     * What the subject must answer.
     *
     * @param tree             the expected tree (may hold {@link Tree.Wildcard#ANY_PRESENT})
     * @param applied          the categories whose rewrite changed moto's answer
     * @param anyNonServerError moto failed: any answer without a server error will do
     */
    record Expectation(Map<String, Object> tree, Set<Deviation> applied, boolean anyNonServerError) {
    }

    private static final String INCORRECT_OPERAND = "Invalid UpdateExpression: Incorrect operand type for operator "
            + "or function";

    /** The ValidationExceptions an update expression can meet on the stored item. */
    static final Set<String> RUNTIME_UPDATE_ERRORS = Set.of(
            "The provided expression refers to an attribute that does not exist in the item",
            "The document path provided in the update expression is invalid for update",
            "An operand in the update expression has an incorrect data type");

    private KnownDeviations() {
    }

    static Expectation expectation(Step step, MotoReference.Answer answer) {
        Outcome moto = answer.outcome();
        Set<Deviation> applied = EnumSet.noneOf(Deviation.class);
        applied.addAll(answer.repairs());
        if (step.fix() != null && step.fix().category() == Deviation.MOTO_VALIDATION_DIFFERS) {
            // DynamoDB's answer is known whatever moto answered.
            Map<String, Object> dynamoDb = step.fix().toDynamoDb().apply(moto.tree(), answer);
            if (!dynamoDb.equals(rewrite(moto.tree(), EnumSet.noneOf(Deviation.class)))) {
                applied.add(Deviation.MOTO_VALIDATION_DIFFERS);
            }
            return new Expectation(dynamoDb, applied, false);
        }
        if (moto.get("status") instanceof Integer status && status >= 500) {
            applied.add(Deviation.MOTO_INTERNAL_ERROR);
            return new Expectation(moto.tree(), applied, true);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) rewrite(moto.tree(), applied);
        if (step.fix() != null) {
            Map<String, Object> fixed = step.fix().toDynamoDb().apply(tree, answer);
            if (!fixed.equals(tree)) {
                applied.add(step.fix().category());
                tree = new TreeMap<>(fixed);
            }
        }
        if (moto.isError()) {
            errorMessage(step, tree, applied);
        } else if (step.has(Step.ORDERED_PAGES) && step.limit() != null) {
            limitReached(step.limit(), tree, applied);
        } else if (step.updated() != null) {
            updatedAttributes(step, tree, applied);
        }
        return new Expectation(tree, applied, false);
    }

    /** UPDATED_NEW never holds key attributes; an item moto created empty does not exist in DynamoDB. */
    @SuppressWarnings("unchecked")
    private static void updatedAttributes(Step step, Map<String, Object> tree, Set<Deviation> applied) {
        if (!(tree.get("Attributes") instanceof Map<?, ?> attributes)) {
            return;
        }
        if (applied.contains(Deviation.MOTO_UPDATE_CREATED_EMPTY_ITEM) && step.has(Step.ALL_NEW)) {
            tree.remove("Attributes");
        } else if (step.has(Step.UPDATED_NEW)) {
            Map<String, Object> withoutKeys = new TreeMap<>((Map<String, Object>) attributes);
            if (withoutKeys.keySet().removeAll(step.updated().key().keySet())) {
                applied.add(Deviation.UPDATED_NEW_KEY_ATTRIBUTES);
                tree.remove("Attributes");
                Tree.putIfPresent(tree, "Attributes", withoutKeys);
            }
        }
    }

    /** A deep copy with numbers canonical and ConsumedCapacity dropped. */
    static Object canonical(Object node) {
        return rewrite(node, EnumSet.noneOf(Deviation.class));
    }

    /** A deep copy with numbers canonical and ConsumedCapacity dropped, noting which of these changed anything. */
    private static Object rewrite(Object node, Set<Deviation> applied) {
        if (node instanceof Tree.Num num) {
            String canonical = num.canonical();
            if (!canonical.equals(num.text())) {
                applied.add(Deviation.NUMBER_TEXT);
                return new Tree.Num(canonical);
            }
            return num;
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new TreeMap<>();
            map.forEach((key, value) -> {
                if ("ConsumedCapacity".equals(key)) {
                    applied.add(Deviation.UNREQUESTED_CONSUMED_CAPACITY);
                } else {
                    copy.put((String) key, rewrite(value, applied));
                }
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(element -> copy.add(rewrite(element, applied)));
            return copy;
        }
        if (node instanceof Tree.Bag bag) {
            @SuppressWarnings("unchecked")
            List<Object> elements = (List<Object>) rewrite(bag.elements(), applied);
            return new Tree.Bag(elements);
        }
        return node;
    }

    private static void errorMessage(Step step, Map<String, Object> tree, Set<Deviation> applied) {
        if (!(tree.get("message") instanceof String message)) {
            return;
        }
        if (step.has(Step.SEVERAL_RUNTIME_FAILURES) && RUNTIME_UPDATE_ERRORS.contains(message)) {
            tree.put("message", new Tree.OneOf(RUNTIME_UPDATE_ERRORS));
            applied.add(Deviation.AMBIGUOUS_RUNTIME_ERROR);
        } else if (step.has(Step.RUNTIME_OPERAND_TYPE) && message.startsWith(INCORRECT_OPERAND)) {
            tree.put("message", "An operand in the update expression has an incorrect data type");
            applied.add(Deviation.RUNTIME_OPERAND_TYPE_MESSAGE);
        } else if (step.has(Step.DELETE_NON_SET) && message.contains("operator or function: operator: DELETE")) {
            tree.put("message", message.replace("operator or function: operator: DELETE", "operator: DELETE")
                    + ", typeSet: ALLOWED_FOR_DELETE_OPERAND");
            applied.add(Deviation.DELETE_OPERAND_MESSAGE);
        }
    }

    /** moto's last page stopped at Limit but has no LastEvaluatedKey: DynamoDB's has one, then an empty page. */
    @SuppressWarnings("unchecked")
    private static void limitReached(int limit, Map<String, Object> tree, Set<Deviation> applied) {
        if (!(tree.get("pages") instanceof List<?> pages) || pages.isEmpty()) {
            return;
        }
        Map<String, Object> last = (Map<String, Object>) pages.get(pages.size() - 1);
        Object scanned = last.get("ScannedCount");
        if (!last.containsKey("LastEvaluatedKey") && scanned instanceof Integer count && count == limit) {
            last.put("LastEvaluatedKey", Tree.Wildcard.ANY_PRESENT);
            Map<String, Object> empty = new LinkedHashMap<>();
            empty.put("Count", 0);
            empty.put("ScannedCount", 0);
            ((List<Object>) pages).add(new TreeMap<>(empty));
            applied.add(Deviation.LIMIT_REACHED_WITHOUT_KEY);
        }
    }
}
