package com.pisync.dynamodb.differential;

import java.util.List;
import java.util.Random;

/** The seeded random source and the generators built on it, shared by the step factories. */
final class Gen {

    final Random random;
    final Attributes values;
    final Paths paths;
    final Conditions conditions;
    final Updates updates;

    Gen(long seed) {
        this.random = new Random(seed);
        this.values = new Attributes(random);
        this.paths = new Paths(random);
        this.conditions = new Conditions(random, values, paths);
        this.updates = new Updates(random, values, paths);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    int below(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    int partition() {
        return random.nextInt(Schema.PARTITIONS.size());
    }

    int sort() {
        return random.nextInt(Schema.sortKeyCount());
    }

    int counter() {
        return random.nextInt(Schema.COUNTER_IDS.size());
    }
}
