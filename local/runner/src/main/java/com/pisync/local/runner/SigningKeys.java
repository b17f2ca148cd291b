package com.pisync.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/** The keys that sign device tokens and list cursors: random per data folder, kept in secrets.json (600). */
record SigningKeys(byte[] deviceTokenKey, byte[] cursorKey) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The keys kept in {@code file}; new ones, written there, when it does not exist yet. */
    static SigningKeys load(Path file) throws IOException {
        if (Files.exists(file)) {
            JsonNode saved = JSON.readTree(file.toFile());
            return new SigningKeys(Base64.getDecoder().decode(saved.path("device_token_key").asText()),
                    Base64.getDecoder().decode(saved.path("cursor_signing_key").asText()));
        }
        SecureRandom random = new SecureRandom();
        byte[] device = new byte[32];
        byte[] cursor = new byte[32];
        random.nextBytes(device);
        random.nextBytes(cursor);
        AdminIdentity.writeSecret(file, JSON.writeValueAsString(Map.of(
                "device_token_key", Base64.getEncoder().encodeToString(device),
                "cursor_signing_key", Base64.getEncoder().encodeToString(cursor))));
        return new SigningKeys(device, cursor);
    }
}
