package com.pisync.aws.http;

import com.pisync.domain.FieldError;
import java.util.List;

/**
 * A request PiSync refuses, as the problem+json answer it gets. Thrown anywhere in a handler and
 * turned into a response in one place, {@link HttpApi#handle}.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(int status, String type, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem badRequest(String detail, List<FieldError> errors) {
        return new ApiProblem(400, "/problems/invalid-request", "The request is invalid", detail, errors);
    }

    public static ApiProblem payloadTooLarge(long limitBytes) {
        return new ApiProblem(413, "/problems/payload-too-large", "The request body is too large",
                "The request body must be at most " + limitBytes + " bytes; send fewer events per request.",
                List.of(new FieldError("body", "must be at most " + limitBytes + " bytes")));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "/problems/not-found", "Not found", detail, List.of());
    }

    public static ApiProblem serviceUnavailable(String detail) {
        return new ApiProblem(503, "/problems/service-unavailable", "Service temporarily unavailable", detail,
                List.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
