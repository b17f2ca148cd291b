package com.pisync.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TimeUnitsType;

/**
 * cognito-local (npm, pinned in {@code local/testbed/node/package-lock.json}) as a child {@code node} process
 * on a free loopback port: the Cognito user pools API (pools, app clients, groups, admin user management,
 * {@code InitiateAuth} USER_PASSWORD_AUTH / REFRESH_TOKEN_AUTH, {@code RevokeToken}; {@code AdminSetUserMFAPreference}
 * added by our preload {@value #EXTRAS}) and each pool's JWKS at
 * {@code http://127.0.0.1:PORT/<poolId>/.well-known/jwks.json}.
 *
 * <p>cognito-local keeps its state (users with plain-text passwords) in {@code .cognito/} under its working
 * directory, so it runs in a data folder of its own: by default a fresh folder under
 * {@code local/testbed/target/cognito-local/}, deleted again by {@link #close()}; or a folder given to
 * {@link #start(Path)} (kept). Never inside the sources. Output goes to
 * {@code local/testbed/target/testbed-logs/cognito-local-PORT.log}.
 *
 * <p>Differences from Cognito met so far: GlobalSignOut / AdminUserGlobalSignOut are unsupported (500);
 * a wrong password raises InvalidPasswordException (Cognito: NotAuthorizedException); {@code ExpiresIn}
 * and {@code TokenType} come back null; a refresh returns no new refresh token; a revoked refresh token
 * is refused but access tokens issued with it stay valid until they expire; the password policy is not
 * enforced by AdminCreateUser / AdminSetUserPassword; list calls do not page. Every instance signs with
 * the same RSA key (bundled in the package), so tokens of one instance verify against another's JWKS.
 */
public final class LocalCognito implements AutoCloseable {

    /** The package's bin entry ({@code "bin": "lib/bin/start.js"} in cognito-local 5.3.0). */
    static final String ENTRY = "node_modules/cognito-local/lib/bin/start.js";
    /** Preloaded: adds AdminSetUserMFAPreference, which cognito-local 5.3.0 lacks (an admin's TOTP reset). */
    static final String EXTRAS = "cognito-local-extras.cjs";

    /** The groups {@link #createPool(String)} creates: PiSync's roles. */
    public static final List<String> GROUPS = List.of("admin", "viewer");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    /** A user pool with one public app client (no secret) and the groups {@link #GROUPS}. */
    public record UserPool(String poolId, String clientId, String issuer, URI jwksUrl) {
    }

    private final Process process;
    private final Thread shutdownHook;
    private final Path logFile;
    private final Path dataDir;
    private final boolean deleteDataOnClose;
    private final URI endpoint;
    private final CognitoIdentityProviderClient client;
    private boolean closed;

    private LocalCognito(Process process, Thread shutdownHook, Path logFile, Path dataDir, boolean deleteDataOnClose,
            int port) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.logFile = logFile;
        this.dataDir = dataDir;
        this.deleteDataOnClose = deleteDataOnClose;
        this.endpoint = URI.create("http://" + Ports.LOOPBACK + ":" + port);
        this.client = newClient(endpoint);
    }

    /** Starts on a free port with a fresh data folder under {@code local/testbed/target/cognito-local/}, deleted on close. */
    /**
     * cognito-local's own signing key (a JWK in {@code lib/keys/cognitoLocal.private.json} of the installed package),
     * for tests that forge a token the issuer would have signed. Fails, never skips, when the file is missing: the
     * tests that need it must not pass vacuously because the package moved it.
     */
    public static Path signingKeyFile() {
        Path file = TestbedPaths.nodeDir().resolve("node_modules/cognito-local/lib/keys/cognitoLocal.private.json");
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalStateException("cognito-local's signing key is not at " + file
                    + " (did the package move it? update LocalCognito.signingKeyFile)");
        }
        return file;
    }

    public static LocalCognito start() {
        Path parent = TestbedPaths.logDir().resolveSibling("cognito-local");
        try {
            Files.createDirectories(parent);
            return start(Files.createTempDirectory(parent, "data-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a cognito-local data folder under " + parent, e);
        }
    }

    /** Starts on a free port, keeping its state in {@code dataDir/.cognito/} (created if missing, kept on close). */
    public static LocalCognito start(Path dataDir) {
        return start(dataDir, false);
    }

    private static LocalCognito start(Path dataDir, boolean deleteDataOnClose) {
        Path nodeDir = TestbedPaths.nodeDir();
        Path entry = nodeDir.resolve(ENTRY);
        if (!Files.isRegularFile(entry)) {
            throw new IllegalStateException("cognito-local is not installed: " + entry + " is missing. Run `mvn -pl"
                    + " local/testbed generate-resources` from the repository root (or `npm ci` in " + nodeDir + ").");
        }
        Path logDir = TestbedPaths.logDir();
        try {
            Files.createDirectories(logDir);
            writeConfig(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + logDir + " and " + dataDir, e);
        }
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            Path logFile = logDir.resolve("cognito-local-" + port + ".log");
            try {
                return launch(nodeDir, entry, dataDir, deleteDataOnClose, port, logFile);
            } catch (NodeProcesses.PortLostException e) {
                last = e; // port taken between picking and binding: try another one
            }
        }
        throw last;
    }

    /**
     * cognito-local's defaults make every new pool use e-mail addresses as usernames
     * ({@code UserPoolDefaults.UsernameAttributes: ["email"]}); PiSync's pool uses plain usernames.
     */
    private static void writeConfig(Path dataDir) throws IOException {
        Path configDir = dataDir.toAbsolutePath().resolve(".cognito");
        Files.createDirectories(configDir);
        Path config = configDir.resolve("config.json");
        if (!Files.exists(config)) {
            Files.writeString(config, "{\"UserPoolDefaults\":{\"UsernameAttributes\":[]}}\n", StandardCharsets.UTF_8);
        }
    }

    private static LocalCognito launch(Path nodeDir, Path entry, Path dataDir, boolean deleteDataOnClose, int port,
            Path logFile) {
        String node = NodeProcesses.nodeBinary();
        String watchdog = nodeDir.resolve(LocalSns.WATCHDOG).toAbsolutePath().toUri().toString();
        String extras = nodeDir.resolve(EXTRAS).toAbsolutePath().toString();
        ProcessBuilder builder = new ProcessBuilder(node, "--import", watchdog, "--require", extras,
                entry.toAbsolutePath().toString())
                .directory(dataDir.toAbsolutePath().toFile()) // .cognito/ lands here
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        Map<String, String> env = builder.environment();
        env.put("HOST", Ports.LOOPBACK);
        env.put("PORT", Integer.toString(port));
        env.put("NO_COLOR", "1");
        env.remove("DEBUG");
        env.remove("COGNITO_LOCAL_DEVMODE");
        env.remove("CODE");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run `" + node + "` to start cognito-local: install Node.js 20+ and"
                    + " put `node` on the PATH, or set system property pisync.testbed.node / env PISYNC_NODE to its path", e);
        }
        Thread hook = new Thread(() -> NodeProcesses.kill(process), "cognito-local-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                NodeProcesses.removeHook(hook);
                String log = NodeProcesses.tail(logFile);
                if (log.contains("EADDRINUSE")) {
                    throw new NodeProcesses.PortLostException("cognito-local could not bind port " + port + ":\n" + log);
                }
                throw new IllegalStateException("cognito-local exited with code " + process.exitValue()
                        + " before listening on port " + port + ". Check Node.js 20+ is on the PATH and `npm ci` works in "
                        + TestbedPaths.nodeDir() + ". Log " + logFile + ":\n" + log);
            }
            if (Ports.accepts(port)) {
                return new LocalCognito(process, hook, logFile, dataDir, deleteDataOnClose, port);
            }
            if (System.nanoTime() > deadline) {
                NodeProcesses.kill(process);
                NodeProcesses.removeHook(hook);
                throw new IllegalStateException("cognito-local did not accept connections on 127.0.0.1:" + port + " within "
                        + START_TIMEOUT.toSeconds() + " s. See its log " + logFile + ", and try it by hand: cd " + dataDir
                        + " && HOST=127.0.0.1 PORT=" + port + " node " + entry + "\n" + NodeProcesses.tail(logFile));
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                NodeProcesses.kill(process);
                NodeProcesses.removeHook(hook);
                throw new IllegalStateException("interrupted while waiting for cognito-local", e);
            }
        }
    }

    /** {@code http://127.0.0.1:PORT}: the Cognito API endpoint and the issuers' host. */
    public URI endpoint() {
        return endpoint;
    }

    /** Cognito client for this emulator, built once; closed by {@link #close()}. */
    public CognitoIdentityProviderClient client() {
        return client;
    }

    /** A new client for this emulator with interceptors (request meters, fault injection); the caller closes it. */
    public CognitoIdentityProviderClient client(ExecutionInterceptor... interceptors) {
        return newClient(endpoint, interceptors);
    }

    private static CognitoIdentityProviderClient newClient(URI endpoint, ExecutionInterceptor... interceptors) {
        return CognitoIdentityProviderClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(LocalClients.REGION)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(Objects.requireNonNull(endpoint, "endpoint"))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** The folder cognito-local runs in (its state is in {@code .cognito/} below it). */
    public Path dataDir() {
        return dataDir;
    }

    /** The file the child's stdout and stderr go to. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Creates a user pool like PiSync's: plain usernames, Cognito's default password policy (8+ characters with
     * upper and lower case, a digit and a symbol; not enforced by cognito-local), an app client without secret
     * allowing ALLOW_USER_PASSWORD_AUTH and ALLOW_REFRESH_TOKEN_AUTH, access and ID tokens valid 60 minutes,
     * token revocation on, and the groups {@code admin} and {@code viewer}.
     */
    public UserPool createPool(String name) {
        // MFA optional (TOTP), as the CDK app's pool: a user who enabled TOTP gets the SOFTWARE_TOKEN_MFA challenge.
        String poolId = client.createUserPool(b -> b.poolName(name)
                .mfaConfiguration(software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolMfaType.OPTIONAL)
                .policies(p -> p.passwordPolicy(pp -> pp.minimumLength(8).requireUppercase(true).requireLowercase(true)
                        .requireNumbers(true).requireSymbols(true).temporaryPasswordValidityDays(7))))
                .userPool().id();
        String clientId = client.createUserPoolClient(b -> b.userPoolId(poolId).clientName(name + "-dashboard")
                .generateSecret(false)
                .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH)
                .accessTokenValidity(60).idTokenValidity(60).refreshTokenValidity(30)
                .tokenValidityUnits(u -> u.accessToken(TimeUnitsType.MINUTES).idToken(TimeUnitsType.MINUTES)
                        .refreshToken(TimeUnitsType.DAYS))
                .enableTokenRevocation(true))
                .userPoolClient().clientId();
        for (String group : GROUPS) {
            client.createGroup(b -> b.userPoolId(poolId).groupName(group));
        }
        String issuer = endpoint + "/" + poolId;
        return new UserPool(poolId, clientId, issuer, URI.create(issuer + "/.well-known/jwks.json"));
    }

    /**
     * Creates a confirmed user who can sign in at once: AdminCreateUser (MessageAction SUPPRESS), AdminSetUserPassword
     * (permanent) and, unless {@code group} is null, AdminAddUserToGroup.
     */
    public void createUser(UserPool pool, String username, String password, String group) {
        client.adminCreateUser(b -> b.userPoolId(pool.poolId()).username(username).messageAction(MessageActionType.SUPPRESS));
        client.adminSetUserPassword(b -> b.userPoolId(pool.poolId()).username(username).password(password).permanent(true));
        if (group != null) {
            client.adminAddUserToGroup(b -> b.userPoolId(pool.poolId()).username(username).groupName(group));
        }
    }

    /** Closes the client, ends the node process and, for a folder {@link #start()} made, deletes its data. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        NodeProcesses.kill(process);
        NodeProcesses.removeHook(shutdownHook);
        if (deleteDataOnClose) {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // leftovers under target/ go with `mvn clean`
        }
    }
}
