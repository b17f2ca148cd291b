package com.pisync.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions' own definitions (routes, tables), read from the very jars the stack deploys
 * ({@code functions/<fn>/target/pisync-<fn>.jar}), each in an isolated class loader.
 *
 * <p>Why not a Maven test dependency on pisync-aws / pisync-query / ...: {@code cdk synth} runs the app
 * through {@code exec:java}, which resolves test-scope dependencies too, so every synth would then need the
 * function modules installed in the local repository. The jars are needed for synthesis anyway.
 */
final class FunctionCode {

    /** A global secondary index as {@code com.pisync.aws.dynamodb.Tables.Index} says. */
    record Index(String name, String partitionKey, String sortKey, List<String> include) {
    }

    /** A table as {@code com.pisync.aws.dynamodb.Tables.Table} says. */
    record Table(String name, String partitionKey, String sortKey, List<Index> indexes, String ttlAttribute,
            boolean stream) {
    }

    private static final Map<String, ClassLoader> LOADERS = new HashMap<>();

    private FunctionCode() {
    }

    /** {@code <HandlerClass>.ROUTES} from the function's jar. */
    static List<String> routes(String artifact, String handlerClass) {
        return routes(artifact, handlerClass, "ROUTES");
    }

    /** A static {@code List<String>} field of routes ({@code ROUTES}, {@code PUBLIC_ROUTES}) from the function's jar. */
    static List<String> routes(String artifact, String handlerClass, String field) {
        try {
            Object routes = load(artifact, handlerClass, true).getField(field).get(null);
            List<String> result = new ArrayList<>();
            for (Object route : (List<?>) routes) {
                result.add((String) route);
            }
            return result;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(handlerClass + "." + field + " in " + artifact + " jar", e);
        }
    }

    /** True if the jar has {@code handlerClass} with a public instance {@code method}. */
    static boolean hasHandler(String artifact, String handlerClass, String method) {
        Class<?> type = load(artifact, handlerClass, false);
        for (Method m : type.getMethods()) {
            if (m.getName().equals(method) && !Modifier.isStatic(m.getModifiers()) && !m.isBridge()) {
                return true;
            }
        }
        return false;
    }

    /** {@code Tables.all(PiSyncConfig.from(environment))} from the function's jar. */
    static List<Table> tables(String artifact, Map<String, String> environment) {
        try {
            Class<?> configType = load(artifact, "com.pisync.aws.PiSyncConfig", true);
            Object config = configType.getMethod("from", Map.class).invoke(null, environment);
            Object all = load(artifact, "com.pisync.aws.dynamodb.Tables", true).getMethod("all", configType)
                    .invoke(null, config);
            List<Table> tables = new ArrayList<>();
            for (Object t : (List<?>) all) {
                List<Index> indexes = new ArrayList<>();
                for (Object i : (List<?>) get(t, "indexes")) {
                    indexes.add(new Index((String) get(i, "name"), (String) get(i, "partitionKey"),
                            (String) get(i, "sortKey"), strings(get(i, "include"))));
                }
                tables.add(new Table((String) get(t, "name"), (String) get(t, "partitionKey"),
                        (String) get(t, "sortKey"), indexes, (String) get(t, "ttlAttribute"), (Boolean) get(t, "stream")));
            }
            return tables;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Tables.all in " + artifact + " jar", e);
        }
    }

    private static List<String> strings(Object list) {
        if (list == null) {
            return null;
        }
        List<String> result = new ArrayList<>();
        for (Object o : (List<?>) list) {
            result.add((String) o);
        }
        return result;
    }

    private static Object get(Object record, String accessor) throws ReflectiveOperationException {
        return record.getClass().getMethod(accessor).invoke(record);
    }

    private static Class<?> load(String artifact, String className, boolean initialize) {
        try {
            return Class.forName(className, initialize, loader(artifact));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(className + " is not in the " + artifact + " jar", e);
        }
    }

    private static synchronized ClassLoader loader(String artifact) {
        return LOADERS.computeIfAbsent(artifact, a -> {
            var jar = FunctionArtifacts.locate().jar(a);
            assertTrue(jar.toFile().isFile(), jar.toString());
            try {
                // Parent: the platform loader, so nothing of the CDK test classpath (jsii, Jackson) leaks in.
                return new URLClassLoader("pisync-" + a, new URL[] {jar.toUri().toURL()},
                        ClassLoader.getPlatformClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
