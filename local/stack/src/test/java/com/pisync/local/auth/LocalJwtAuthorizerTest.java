package com.pisync.local.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.pisync.aws.auth.Caller;
import com.pisync.testbed.LocalCognito;
import com.pisync.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

/** The local JWT authorizer against real cognito-local tokens: what API Gateway accepts passes, nothing else. */
class LocalJwtAuthorizerTest {

    private static final String PASSWORD = "Passw0rd-for-tests!";
    private static LocalCognito cognito;
    private static LocalCognito.UserPool pool;
    private static LocalCognito.UserPool otherPool;
    private static LocalJwtAuthorizer authorizer;

    @BeforeAll
    static void pools() {
        cognito = TestBed.shared().cognito();
        pool = cognito.createPool("jwt-" + UUID.randomUUID());
        otherPool = cognito.createPool("jwt-other-" + UUID.randomUUID());
        cognito.createUser(pool, "amina.otieno", PASSWORD, "admin");
        cognito.createUser(pool, "kisumu-viewer", PASSWORD, "viewer");
        cognito.createUser(pool, "both-roles", PASSWORD, "viewer");
        cognito.client().adminAddUserToGroup(b -> b.userPoolId(pool.poolId()).username("both-roles").groupName("admin"));
        cognito.createUser(pool, "no-role", PASSWORD, null);
        cognito.createUser(otherPool, "amina.otieno", PASSWORD, "admin");
        authorizer = new LocalJwtAuthorizer(pool.issuer(), List.of(pool.clientId()));
    }

    private static AuthenticationResultType login(LocalCognito.UserPool in, String username) {
        return cognito.client().initiateAuth(b -> b.clientId(in.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", PASSWORD))).authenticationResult();
    }

    private static String access(String username) {
        return login(pool, username).accessToken();
    }

    private static void refused(LocalJwtAuthorizer by, String token, String reason) {
        LocalJwtAuthorizer.Unauthorized e = assertThrows(LocalJwtAuthorizer.Unauthorized.class, () -> by.verify(token));
        assertTrue(e.reason().contains(reason), e.reason());
    }

    private static Map<String, Object> claims(String token) throws Exception {
        return new LinkedHashMap<>(SignedJWT.parse(token).getPayload().toJSONObject());
    }

    /** A token with the claims edited, signed with cognito-local's own key (the issuer's key: only the edit differs). */
    private static String reissued(String token, Consumer<Map<String, Object>> edit) throws Exception {
        Path keyFile = LocalCognito.signingKeyFile(); // fails (never skips) if the package moved it
        Map<String, Object> file = JSONObjectUtils.parse(Files.readString(keyFile));
        RSAKey issuerKey = RSAKey.parse(JSONObjectUtils.getJSONObject(file, "jwk"));
        return sign(token, edit, issuerKey);
    }

    private static String sign(String token, Consumer<Map<String, Object>> edit, RSAKey key) throws Exception {
        Map<String, Object> claims = claims(token);
        edit.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                com.nimbusds.jwt.JWTClaimsSet.parse(claims));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void adminAndViewerAccessTokensPassWithTheirGroupsAsApiGatewayRendersThem() throws Exception {
        String token = access("amina.otieno");
        LocalJwtAuthorizer.Verified admin = authorizer.verify(token);
        Map<String, String> c = admin.claims();
        assertEquals("[admin]", c.get("cognito:groups"));
        assertEquals("amina.otieno", c.get("username"));
        assertEquals("access", c.get("token_use"));
        assertEquals(pool.clientId(), c.get("client_id"));
        assertEquals(pool.issuer(), c.get("iss"));
        assertEquals(claims(token).get("exp").toString(), c.get("exp"));
        assertTrue(c.get("exp").matches("\\d{10}"), c.get("exp"));
        assertEquals(List.of("aws.cognito.signin.user.admin"), admin.scopes());

        assertEquals("[viewer]", authorizer.verify(access("kisumu-viewer")).claims().get("cognito:groups"));
        String both = authorizer.verify(access("both-roles")).claims().get("cognito:groups");
        assertTrue(both.equals("[admin viewer]") || both.equals("[viewer admin]"), both);
        assertNull(authorizer.verify(access("no-role")).claims().get("cognito:groups"));
    }

    @Test
    void theFunctionSeesTheCallerTheWayItWouldOnAws() {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setHeaders(new HashMap<>(Map.of("Authorization", "Bearer " + access("both-roles"))));
        authorizer.authorize(event);
        Caller caller = Caller.of(event);
        assertEquals("both-roles", caller.username());
        assertEquals(Set.of("admin", "viewer"), caller.groups());

        event.setHeaders(Map.of("authorization", access("kisumu-viewer"))); // API Gateway also takes the bare token
        assertEquals(Set.of("viewer"), Caller.authorize(authorizer.authorize(event), true).groups());
    }

    @Test
    void idTokensPassOnTheirAudienceAsApiGatewayAcceptsThem() {
        LocalJwtAuthorizer.Verified id = authorizer.verify(login(pool, "amina.otieno").idToken());
        assertEquals("id", id.claims().get("token_use"));
        assertEquals(pool.clientId(), id.claims().get("aud"));
        assertEquals("amina.otieno", id.claims().get("cognito:username"));
        assertNull(id.scopes());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = access("amina.otieno");
        long exp = ((Number) claims(token).get("exp")).longValue();
        Clock justBefore = Clock.fixed(Instant.ofEpochSecond(exp - 1), ZoneOffset.UTC);
        Clock atExpiry = Clock.fixed(Instant.ofEpochSecond(exp), ZoneOffset.UTC);
        Clock hourLater = Clock.fixed(Instant.ofEpochSecond(exp + 3600), ZoneOffset.UTC);
        new LocalJwtAuthorizer(pool.issuer(), List.of(pool.clientId()), justBefore).verify(token);
        refused(new LocalJwtAuthorizer(pool.issuer(), List.of(pool.clientId()), atExpiry), token, "expired");
        refused(new LocalJwtAuthorizer(pool.issuer(), List.of(pool.clientId()), hourLater), token, "expired");
        // no exp at all
        refused(authorizer, reissued(token, c -> c.remove("exp")), "expired");
    }

    @Test
    void tokensNotValidYetAreRefused() throws Exception {
        String token = access("amina.otieno");
        long inAMinute = Instant.now().getEpochSecond() + 60;
        refused(authorizer, reissued(token, c -> c.put("nbf", inAMinute)), "not valid yet");
        refused(authorizer, reissued(token, c -> c.put("iat", inAMinute)), "future");
        authorizer.verify(reissued(token, c -> c.put("nbf", inAMinute - 120))); // the key file is the issuer's key
    }

    @Test
    void garbageIsRefused() {
        for (String garbage : List.of("garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30", "eyJ.eyJ.eyJ",
                "Basic YW1pbmE6cGFzcw==")) {
            assertThrows(LocalJwtAuthorizer.Unauthorized.class, () -> authorizer.verifyHeader(garbage), garbage);
            assertThrows(LocalJwtAuthorizer.Unauthorized.class, () -> authorizer.verifyHeader("Bearer " + garbage), garbage);
        }
        assertThrows(LocalJwtAuthorizer.Unauthorized.class, () -> authorizer.verifyHeader(null));
        assertThrows(LocalJwtAuthorizer.Unauthorized.class, () -> authorizer.verifyHeader("Bearer "));
        APIGatewayV2HTTPEvent noHeader = new APIGatewayV2HTTPEvent();
        assertThrows(LocalJwtAuthorizer.Unauthorized.class, () -> authorizer.authorize(noHeader));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        String token = access("amina.otieno");
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("CognitoLocal").generate(); // same kid, other key
        refused(authorizer, sign(token, c -> { }, impostor), "signature");
        RSAKey unknownKid = new RSAKeyGenerator(2048).keyID("someone-else").generate();
        refused(authorizer, sign(token, c -> { }, unknownKid), "key");
        // a flipped bit of the original signature
        String[] parts = token.split("\\.");
        byte[] sig = Base64URL.from(parts[2]).decode();
        sig[7] ^= 1;
        refused(authorizer, parts[0] + "." + parts[1] + "." + Base64URL.encode(sig), "signature");
        // claims edited, original signature kept
        String escalated = Base64URL.encode(claimsJson(token, c -> c.put("cognito:groups", List.of("admin", "viewer"))))
                .toString();
        refused(authorizer, parts[0] + "." + escalated + "." + parts[2], "signature");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        // cognito-local signs every pool's tokens with the same key: only the iss check tells them apart
        String foreign = login(otherPool, "amina.otieno").accessToken();
        refused(authorizer, foreign, "issuer");
        refused(new LocalJwtAuthorizer(pool.issuer(), List.of(pool.clientId(), otherPool.clientId())), foreign, "issuer");
        refused(authorizer, reissued(access("amina.otieno"), c -> c.put("iss", pool.issuer() + "/")), "issuer");
        refused(authorizer, reissued(access("amina.otieno"), c -> c.remove("iss")), "issuer");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        LocalJwtAuthorizer otherAudience = new LocalJwtAuthorizer(pool.issuer(), List.of("some-other-app-client"));
        AuthenticationResultType tokens = login(pool, "amina.otieno");
        refused(otherAudience, tokens.accessToken(), "audience");
        refused(otherAudience, tokens.idToken(), "audience");
        // an access token without client_id, or claiming another use
        refused(authorizer, reissued(tokens.accessToken(), c -> c.remove("client_id")), "audience");
        refused(authorizer, reissued(tokens.accessToken(), c -> c.put("token_use", "id")), "access token");
        // aud decides when present, even with a matching client_id
        refused(authorizer, reissued(tokens.accessToken(), c -> c.put("aud", "some-other-app-client")), "audience");
        authorizer.verify(reissued(tokens.accessToken(), c -> c.put("aud", List.of("x", pool.clientId()))));
        // the refresh token (a JWS in cognito-local, no audience) is no bearer token
        refused(authorizer, tokens.refreshToken(), ""); // no kid, no audience
    }

    @Test
    void unsignedAndNonRs256TokensAreRefused() throws Exception {
        String token = access("amina.otieno");
        String[] parts = token.split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
        refused(authorizer, none + "." + parts[1] + ".", "not signed");
        String noneKid = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"CognitoLocal\"}".getBytes(StandardCharsets.UTF_8))
                .toString();
        refused(authorizer, noneKid + "." + parts[1] + ".", "not signed");
        refused(authorizer, noneKid + "." + parts[1] + "." + parts[2], "not");

        // HS256 keyed with the issuer's public key (the classic key-confusion forgery)
        byte[] publicKey = ((RSAKey) com.nimbusds.jose.jwk.JWKSet.load(pool.jwksUrl().toURL()).getKeyByKeyId("CognitoLocal"))
                .toRSAPublicKey().getEncoded();
        byte[] secret = new byte[Math.max(32, publicKey.length)];
        System.arraycopy(publicKey, 0, secret, 0, publicKey.length);
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("CognitoLocal").build(),
                com.nimbusds.jwt.JWTClaimsSet.parse(claims(token)));
        hs.sign(new MACSigner(secret));
        refused(authorizer, hs.serialize(), "HS256");

        RSAKey key = new RSAKeyGenerator(2048).keyID("CognitoLocal").generate();
        SignedJWT ps = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID("CognitoLocal").build(),
                com.nimbusds.jwt.JWTClaimsSet.parse(claims(token)));
        ps.sign(new RSASSASigner(key));
        refused(authorizer, ps.serialize(), "RS512");
        // no kid
        SignedJWT noKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
                com.nimbusds.jwt.JWTClaimsSet.parse(claims(token)));
        noKid.sign(new RSASSASigner(key));
        refused(authorizer, noKid.serialize(), "kid");
    }

    @Test
    void apiGatewaysOwnRefusal() {
        APIGatewayV2HTTPResponse r = LocalJwtAuthorizer.unauthorizedResponse(new LocalJwtAuthorizer.Unauthorized("the token has expired"));
        assertEquals(401, r.getStatusCode());
        assertEquals("{\"message\":\"Unauthorized\"}", r.getBody());
        assertTrue(r.getHeaders().get("www-authenticate").contains("error_description=\"the token has expired\""));
    }

    @Test
    void claimValuesAreRenderedAsApiGatewayRendersThem() {
        assertEquals("1793520300", LocalJwtAuthorizer.render(1793520300L));
        assertEquals("1.5", LocalJwtAuthorizer.render(1.5d));
        assertEquals("true", LocalJwtAuthorizer.render(true));
        assertEquals("[admin viewer]", LocalJwtAuthorizer.render(List.of("admin", "viewer")));
        assertEquals("[]", LocalJwtAuthorizer.render(List.of()));
        assertEquals("map[a:1 b:[x]]", LocalJwtAuthorizer.render(Map.of("b", List.of("x"), "a", 1)));
    }

    private static byte[] claimsJson(String token, Consumer<Map<String, Object>> edit) throws Exception {
        Map<String, Object> c = claims(token);
        edit.accept(c);
        return new Payload(c).toBytes();
    }
}
