package com.pisync.bench.cost;

import java.util.Arrays;
import java.util.List;

/** Benchmark arguments as Maven passes them: one property may hold several ("--events 2000"), or be empty. */
public final class Args {

    private Args() {
    }

    public static List<String> of(String[] args) {
        return Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+"))).filter(a -> !a.isBlank()).toList();
    }
}
