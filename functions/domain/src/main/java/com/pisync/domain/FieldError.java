package com.pisync.domain;

/** One reason a request was refused, with the JSON path of the field it concerns. */
public record FieldError(String field, String message) {
}
