package com.pisync.dynamodb.differential;

/**
 * A known way moto answers differently from DynamoDB. Where one applies, the subject is held to what DynamoDB
 * answers (derived from moto's answer), not to moto's answer: a subject that copies moto's deviation fails.
 * Each is counted in the summary; none hides a difference it was not written for.
 */
enum Deviation {

    NUMBER_TEXT("moto answers a number with the text it was written with or that Python's Decimal produced "
            + "(\"1.50\", \"-1000.0\"); DynamoDB answers it normalised, leading and trailing zeros trimmed "
            + "(AWS Developer Guide, \"Supported data types and naming rules\", Number). The subject must answer "
            + "the canonical text."),

    UNREQUESTED_CONSUMED_CAPACITY("moto returns ConsumedCapacity (constant units) even when ReturnConsumedCapacity "
            + "is absent; DynamoDB returns none then (API reference, ReturnConsumedCapacity: NONE is the default). "
            + "Capacity is therefore never compared; the subject must not send it unrequested."),

    LIMIT_REACHED_WITHOUT_KEY("moto leaves out LastEvaluatedKey when a page stops at Limit with no item after it; "
            + "DynamoDB returns it whenever Limit stopped the page, and the next page is empty (Developer Guide, "
            + "\"Paginating table query results\": a LastEvaluatedKey does not mean there is more data; confirmed "
            + "on re:Post for a GSI query with Limit equal to the item count). The subject must send a key there "
            + "(its value is not derivable from moto's answer when the last item was filtered out) and an empty "
            + "last page."),

    RUNTIME_OPERAND_TYPE_MESSAGE("moto checks the types of arithmetic operands only when it evaluates them and "
            + "then reports the parse-time message \"Invalid UpdateExpression: Incorrect operand type for operator "
            + "or function; operator or function: +, operand type: S\" (moto/dynamodb/parsing/validators.py); "
            + "DynamoDB reports an operand read from the item that has the wrong type with \"An operand in the "
            + "update expression has an incorrect data type\" (API reference, UpdateItem/TransactionCanceled "
            + "validation errors). Only applied to steps the generator tagged as such."),

    DELETE_OPERAND_MESSAGE("moto formats a DELETE with a non-set operand as \"...; operator or function: operator: "
            + "DELETE, operand type: NUMBER\" (its DeleteExecutor passes \"operator: DELETE\" into the generic "
            + "template); DynamoDB says \"Invalid UpdateExpression: Incorrect operand type for operator or function; "
            + "operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND\" (as logged from AWS "
            + "in zio-dynamodb's sources)."),

    UPDATED_NEW_KEY_ATTRIBUTES("moto's ReturnValues UPDATED_NEW includes the key attributes when the update "
            + "created the item; DynamoDB returns only the updated non-key attributes (ScyllaDB Alternator's "
            + "test_returnvalues.py, checked against DynamoDB)."),

    MOTO_UPDATED_VALUES("moto's ReturnValues UPDATED_OLD / UPDATED_NEW leave out an attribute the update wrote "
            + "when its value did not change (SET to the same value, if_not_exists on a present attribute, ADD 0, "
            + "DELETE of absent elements) and answer the whole top-level attribute for a nested path (REMOVE l[0], "
            + "SET m.x); DynamoDB returns each written path's old / new value, nested as in the item, changed or "
            + "not (Alternator's test_returnvalues.py, checked against DynamoDB). Expected: the update's target "
            + "paths taken from moto's item before (OLD) or after (NEW) the update."),

    MOTO_UPDATE_CREATED_EMPTY_ITEM("an UpdateItem of an absent item that only removes attributes makes moto store "
            + "a key-only item (and answer it for ALL_NEW); DynamoDB creates nothing and returns no Attributes "
            + "(Alternator's test_returnvalues.py, checked against DynamoDB). moto's item is deleted again."),

    MOTO_FAILED_UPDATE_LEFT_CHANGES("moto stores an UpdateItem's item before executing its expression, so an "
            + "update failing there (a DELETE operand, an invalid document path) leaves earlier actions or a new "
            + "key-only item behind (moto/dynamodb/models/__init__.py update_item); DynamoDB changes nothing on a "
            + "failed write. moto's item is put back as it was; the error answers are compared as usual."),

    AMBIGUOUS_RUNTIME_ERROR("an update with several actions that can each fail on the stored item (an absent "
            + "operand, an invalid document path, a wrong operand type): DynamoDB does not document which failure "
            + "it reports, so any of those three ValidationException messages is accepted for such steps only."),

    MOTO_ACCEPTS_OVERLAPPING_PROJECTION("moto answers a GetItem whose ProjectionExpression has overlapping paths "
            + "(m.a, m.a.b); DynamoDB refuses it: \"Invalid ProjectionExpression: Two document paths overlap with "
            + "each other; must remove or rewrite one of these paths; path one: [m, a], path two: [m, a, b]\" (the "
            + "message moto itself gives for overlapping update paths, and the engine brief's reference text)."),

    MOTO_TRANSACT_GET_IGNORES_PROJECTION("moto's TransactGetItems returns whole items, ignoring each Get's "
            + "ProjectionExpression; DynamoDB applies it (API reference, Get.ProjectionExpression). The expected "
            + "items are moto's with the projection applied by the harness."),

    MOTO_VALIDATION_DIFFERS("for an invalid request moto answers another message, another error, an internal "
            + "error or even success; DynamoDB's ValidationException texts are taken from mhart/dynalite's tests "
            + "(copied from DynamoDB: key schema, index key type, set duplicates, 38 digits), moto's own "
            + "exceptions.py (empty key), and AWS users' logs (missing index, undefined placeholders)."),

    MOTO_ACCEPTS_INVALID_WRITE("moto performs a write DynamoDB refuses (an index key of the wrong type, a set "
            + "with duplicates, a number of more than 38 digits); moto's item is put back as it was."),

    MOTO_INTERNAL_ERROR("moto failed with HTTP 500 (a moto bug, e.g. arithmetic on exponent numbers); there is no "
            + "answer to compare with, so the subject must merely answer without a server error. Counted and "
            + "listed with examples so that none goes unseen.");

    private final String reason;

    Deviation(String reason) {
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
