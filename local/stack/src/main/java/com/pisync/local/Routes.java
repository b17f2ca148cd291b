package com.pisync.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway's route matching, locally: "GET /v1/devices/{device_id}" templates, literal segments
 * winning over parameters (so /v1/devices/failing is not device "failing"), as HTTP APIs do.
 */
final class Routes<T> {

    record Match<T>(String routeKey, Map<String, String> pathParameters, T target) {
    }

    private record Route<T>(String key, String method, Pattern pattern, List<String> names, int literals, T target) {
    }

    private final List<Route<T>> routes = new ArrayList<>();

    Routes<T> add(List<String> routeKeys, T target) {
        for (String key : routeKeys) {
            int space = key.indexOf(' ');
            String method = key.substring(0, space);
            String template = key.substring(space + 1);
            List<String> names = new ArrayList<>();
            StringBuilder regex = new StringBuilder();
            int literals = 0;
            for (String segment : template.substring(1).split("/")) {
                regex.append('/');
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    names.add(segment.substring(1, segment.length() - 1));
                    regex.append("([^/]+)");
                } else {
                    literals++;
                    regex.append(Pattern.quote(segment));
                }
            }
            routes.add(new Route<>(key, method, Pattern.compile(regex.toString()), names, literals, target));
        }
        routes.sort(Comparator.comparingInt((Route<T> r) -> -r.literals()));
        return this;
    }

    /** The matching route, or null (404); {@code decode} undoes percent-encoding of path parameters. */
    Match<T> match(String method, String path, Function<String, String> decode) {
        for (Route<T> r : routes) {
            Matcher m = r.pattern().matcher(path);
            if (r.method().equals(method) && m.matches()) {
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < r.names().size(); i++) {
                    params.put(r.names().get(i), decode.apply(m.group(i + 1)));
                }
                return new Match<>(r.key(), params, r.target());
            }
        }
        return null;
    }

    List<String> keys() {
        return routes.stream().map(Route::key).toList();
    }
}
