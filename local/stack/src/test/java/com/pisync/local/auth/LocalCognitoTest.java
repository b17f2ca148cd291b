package com.pisync.local.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/** LocalCognito itself: pools like PiSync's, users who can sign in, its JWKS, and the quirks PiSync relies on. */
class LocalCognitoTest {

    private static AuthenticationResultType login(CognitoIdentityProviderClient client, LocalCognito.UserPool pool,
            String username, String password) {
        return client.initiateAuth(b -> b.clientId(pool.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password))).authenticationResult();
    }

    @Test
    void poolsUsersGroupsAndTokens() throws Exception {
        LocalCognito cognito = TestBed.shared().cognito();
        LocalCognito.UserPool pool = cognito.createPool("testbed-" + UUID.randomUUID());
        assertEquals(cognito.endpoint() + "/" + pool.poolId(), pool.issuer());
        assertEquals(Set.of("admin", "viewer"), cognito.client().listGroups(b -> b.userPoolId(pool.poolId())).groups().stream()
                .map(GroupType::groupName).collect(Collectors.toSet()));

        cognito.createUser(pool, "amina.otieno", "Passw0rd-amina!", "admin"); // a plain username, not an e-mail
        assertEquals(Set.of("admin"), cognito.client().adminListGroupsForUser(b -> b.userPoolId(pool.poolId())
                .username("amina.otieno")).groups().stream().map(GroupType::groupName).collect(Collectors.toSet()));
        AuthenticationResultType tokens = login(cognito.client(), pool, "amina.otieno", "Passw0rd-amina!");
        assertNotNull(tokens.accessToken());
        assertNotNull(tokens.refreshToken());
        assertNull(tokens.expiresIn()); // quirk: Cognito says 3600
        assertNull(tokens.tokenType()); // quirk: Cognito says "Bearer"

        JWKSet jwks = JWKSet.load(pool.jwksUrl().toURL());
        assertEquals(1, jwks.getKeys().size());
        assertEquals("CognitoLocal", jwks.getKeys().get(0).getKeyID());

        // quirk: a wrong password is InvalidPasswordException (Cognito: NotAuthorizedException); unknown user NotAuthorized
        assertThrows(InvalidPasswordException.class, () -> login(cognito.client(), pool, "amina.otieno", "wrong"));
        assertThrows(NotAuthorizedException.class, () -> login(cognito.client(), pool, "nobody", "wrong"));
    }

    @Test
    void keepsItsStateInTheGivenFolderAndStops(@TempDir Path dir) {
        LocalCognito own = LocalCognito.start(dir);
        LocalCognito.UserPool pool;
        try {
            assertTrue(own.logFile().getFileName().toString().startsWith("cognito-local-"));
            pool = own.createPool("own");
            own.createUser(pool, "someone", "Passw0rd-someone!", "viewer");
            assertTrue(Files.isDirectory(dir.resolve(".cognito/db")));
            assertTrue(Files.exists(dir.resolve(".cognito/db/" + pool.poolId() + ".json")));
        } finally {
            own.close();
        }
        assertThrows(java.io.IOException.class, () -> {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", own.endpoint().getPort()), 500);
            }
        }, "the node process is gone");
        // the state survives a restart in the same folder
        try (LocalCognito again = LocalCognito.start(dir)) {
            LocalCognito.UserPool same = new LocalCognito.UserPool(pool.poolId(), pool.clientId(),
                    again.endpoint() + "/" + pool.poolId(), null);
            assertNotNull(login(again.client(), same, "someone", "Passw0rd-someone!").accessToken());
        }
        assertTrue(Files.exists(dir.resolve(".cognito")), "a given folder is kept");
    }

    @Test
    void revokedRefreshTokensAreRefused() {
        LocalCognito cognito = TestBed.shared().cognito();
        LocalCognito.UserPool pool = cognito.createPool("revoke-" + UUID.randomUUID());
        cognito.createUser(pool, "amina.otieno", "Passw0rd-amina!", "admin");
        String refresh = login(cognito.client(), pool, "amina.otieno", "Passw0rd-amina!").refreshToken();
        AuthenticationResultType refreshed = cognito.client().initiateAuth(b -> b.clientId(pool.clientId())
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH).authParameters(Map.of("REFRESH_TOKEN", refresh)))
                .authenticationResult();
        assertNull(refreshed.refreshToken()); // quirk: no rotation
        cognito.client().revokeToken(b -> b.clientId(pool.clientId()).token(refresh));
        CognitoIdentityProviderException e = assertThrows(NotAuthorizedException.class, () -> cognito.client()
                .initiateAuth(b -> b.clientId(pool.clientId()).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                        .authParameters(Map.of("REFRESH_TOKEN", refresh))));
        assertFalse(e.getMessage().isEmpty());
    }
}
