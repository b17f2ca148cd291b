package com.pisync.dynamodb.differential;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One generated request, run identically against both servers.
 *
 * @param index     position in the sequence (reported on a difference, with the seed)
 * @param operation the DynamoDB operation, e.g. {@code UpdateItem}; the summary counts by it
 * @param request   the request as the SDK prints it (for the failure report)
 * @param tags      what the generator knows about the request that a known deviation may depend on
 * @param limit     the request's Limit for a paged read, else null
 * @param call      sends the request (all pages of a paged read) and turns the answer into a {@link Tree}
 * @param updated   the item an UpdateItem (or a refused write) writes, which moto's repair looks at; else null
 * @param fix       how this request's answer from moto becomes DynamoDB's, where moto ignores part of the
 *                  request (null when it does not)
 */
record Step(int index, String operation, String request, Set<String> tags, Integer limit,
            Function<DynamoDbClient, Map<String, Object>> call, ItemRef updated, MotoFix fix) {

    /** A rewrite of moto's answer into DynamoDB's, under one deviation category; it may use the item as moto
     *  held it before and after the step (UpdateItem only). */
    record MotoFix(Deviation category,
                   BiFunction<Map<String, Object>, MotoReference.Answer, Map<String, Object>> toDynamoDb) {
    }

    Step(int index, String operation, String request, Set<String> tags, Integer limit,
         Function<DynamoDbClient, Map<String, Object>> call) {
        this(index, operation, request, tags, limit, call, null, null);
    }

    Step withUpdated(ItemRef item) {
        return new Step(index, operation, request, tags, limit, call, item, fix);
    }

    Step withFix(Deviation category,
                 BiFunction<Map<String, Object>, MotoReference.Answer, Map<String, Object>> toDynamoDb) {
        return new Step(index, operation, request, tags, limit, call, updated, new MotoFix(category, toDynamoDb));
    }

    /** The generator wrote a request DynamoDB refuses only once it sees the stored item's attribute type. */
    static final String RUNTIME_OPERAND_TYPE = "runtime-operand-type";
    /** The generator wrote a DELETE whose operand is not a set. */
    static final String DELETE_NON_SET = "delete-non-set";
    /** A write DynamoDB refuses: if moto performs it, its item is put back. */
    static final String REFUSED = "refused";
    /** An UpdateItem with ReturnValues UPDATED_NEW. */
    static final String UPDATED_NEW = "updated-new";
    /** An UpdateItem with ReturnValues ALL_NEW. */
    static final String ALL_NEW = "all-new";
    /** An update with more than one action that can fail at run time: DynamoDB does not define which is reported. */
    static final String SEVERAL_RUNTIME_FAILURES = "several-runtime-failures";
    /** A paged read whose pages are compared one by one (the order of its items is defined). */
    static final String ORDERED_PAGES = "ordered-pages";

    boolean has(String tag) {
        return tags.contains(tag);
    }
}
