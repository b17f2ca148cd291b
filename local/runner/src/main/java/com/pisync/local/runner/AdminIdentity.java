package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pisync.testbed.LocalCognito;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * The runner's user pool and its first admin, kept in the data folder: the pool and app client ids in
 * {@code identity.json} (cognito-local keeps the pool itself), the admin {@code admin} with the password
 * from {@code PISYNC_ADMIN_PASSWORD}, else a generated one saved in {@code admin-password.txt} (mode 600).
 */
final class AdminIdentity {

    static final String ADMIN = "admin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How the admin's password was set this run. */
    enum PasswordSource { ENVIRONMENT, GENERATED, SAVED_FILE, UNKNOWN }

    record Admin(String username, String password, PasswordSource source, Path passwordFile) {
    }

    private AdminIdentity() {
    }

    /** The pool of an earlier run if it is still there, else a new one. */
    static LocalCognito.UserPool pool(LocalCognito cognito, Path dataDir) {
        Path file = dataDir.resolve("identity.json");
        try {
            if (Files.exists(file)) {
                JsonNode saved = JSON.readTree(file.toFile());
                String poolId = saved.path("user_pool_id").asText();
                String clientId = saved.path("client_id").asText();
                try {
                    cognito.client().describeUserPool(r -> r.userPoolId(poolId));
                    cognito.client().describeUserPoolClient(r -> r.userPoolId(poolId).clientId(clientId));
                    String issuer = cognito.endpoint() + "/" + poolId;
                    return new LocalCognito.UserPool(poolId, clientId, issuer, URI.create(issuer + "/.well-known/jwks.json"));
                } catch (ResourceNotFoundException gone) {
                    // the cognito folder was removed: make the pool anew
                }
            }
            LocalCognito.UserPool pool = cognito.createPool("pisync-local");
            Files.write(file, JSON.writeValueAsBytes(Map.of("user_pool_id", pool.poolId(), "client_id", pool.clientId())));
            return pool;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or write " + file, e);
        }
    }

    /** Creates the admin if missing; applies {@code PISYNC_ADMIN_PASSWORD} when set. */
    static Admin ensureAdmin(LocalCognito cognito, LocalCognito.UserPool pool, Path dataDir, String passwordFromEnv) {
        Path passwordFile = dataDir.resolve("admin-password.txt");
        boolean exists;
        try {
            cognito.client().adminGetUser(r -> r.userPoolId(pool.poolId()).username(ADMIN));
            exists = true;
        } catch (UserNotFoundException e) {
            exists = false;
        }
        String fromEnv = passwordFromEnv == null || passwordFromEnv.isBlank() ? null : passwordFromEnv;
        if (!exists) {
            String password = fromEnv != null ? fromEnv : generatePassword();
            cognito.createUser(pool, ADMIN, password, "admin");
            if (fromEnv != null) {
                deleteQuietly(passwordFile);
                return new Admin(ADMIN, password, PasswordSource.ENVIRONMENT, null);
            }
            writeSecret(passwordFile, password + "\n");
            return new Admin(ADMIN, password, PasswordSource.GENERATED, passwordFile);
        }
        if (fromEnv != null) {
            cognito.client().adminSetUserPassword(r -> r.userPoolId(pool.poolId()).username(ADMIN).password(fromEnv)
                    .permanent(true));
            deleteQuietly(passwordFile);
            return new Admin(ADMIN, fromEnv, PasswordSource.ENVIRONMENT, null);
        }
        if (Files.exists(passwordFile)) {
            try {
                return new Admin(ADMIN, Files.readString(passwordFile, StandardCharsets.UTF_8).strip(),
                        PasswordSource.SAVED_FILE, passwordFile);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + passwordFile, e);
            }
        }
        return new Admin(ADMIN, null, PasswordSource.UNKNOWN, null);
    }

    /** A user for the demo fleet (admin group), with a fresh password every run. */
    static String demoUser(LocalCognito cognito, LocalCognito.UserPool pool, String username) {
        String password = generatePassword();
        try {
            cognito.client().adminGetUser(r -> r.userPoolId(pool.poolId()).username(username));
            cognito.client().adminSetUserPassword(r -> r.userPoolId(pool.poolId()).username(username).password(password)
                    .permanent(true));
        } catch (UserNotFoundException e) {
            cognito.createUser(pool, username, password, "admin");
        }
        return password;
    }

    /** 20 characters with upper and lower case letters, digits and a symbol (Cognito's default policy). */
    static String generatePassword() {
        String upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        String lower = "abcdefghijkmnopqrstuvwxyz";
        String digits = "23456789";
        String symbols = "-_.!%";
        String all = upper + lower + digits;
        StringBuilder b = new StringBuilder();
        b.append(upper.charAt(RANDOM.nextInt(upper.length())));
        for (int i = 0; i < 16; i++) {
            b.append(all.charAt(RANDOM.nextInt(all.length())));
        }
        b.append(lower.charAt(RANDOM.nextInt(lower.length())));
        b.append(digits.charAt(RANDOM.nextInt(digits.length())));
        b.append(symbols.charAt(RANDOM.nextInt(symbols.length())));
        return b.toString();
    }

    /** Writes a file only its owner can read (mode 600 where the file system has POSIX permissions). */
    static void writeSecret(Path file, String content) {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale file is only a stale hint
        }
    }
}
