package com.pisync.local.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * API Gateway's HTTP API JWT authorizer, locally, for a Cognito user pool: issuer = the pool's issuer URL,
 * audience = the app client id(s). It accepts a token exactly when API Gateway would, and hands the function the
 * claims the way API Gateway does ({@code requestContext.authorizer.jwt.claims}, every value a string).
 *
 * <p>Checks, in API Gateway's order: the token is a JWS (not unsigned {@code alg: none}, not encrypted) signed
 * with RS256 (any other algorithm — HS256 with the public key as secret included — is refused); its {@code kid}
 * names a key of the issuer's JWKS ({@code <issuer>/.well-known/jwks.json}, fetched on first use and again, at most
 * every {@link #JWKS_REFETCH_AFTER}, when a token names an unknown key) and the signature verifies with it;
 * {@code iss} equals the issuer; {@code exp} is after now, {@code nbf} and {@code iat} (when present) are not after
 * now; then the audience: a token with {@code aud} (Cognito ID tokens) needs an {@code aud} in the audience, a
 * token without (Cognito access tokens) needs {@code client_id} in the audience — and, as every Cognito access token
 * has, {@code token_use = access}. No clock skew is allowed.
 *
 * <p>Claims are rendered as API Gateway renders them: strings as they are, numbers as plain numbers
 * ({@code "1793520300"}), booleans {@code "true"}/{@code "false"}, arrays space-separated in brackets
 * ({@code cognito:groups} → {@code "[admin viewer]"}), objects {@code "map[k:v]"}. {@code scopes} are the
 * token's {@code scope} claim split on spaces (null without one).
 */
public final class LocalJwtAuthorizer {

    /** How soon an unknown {@code kid} may trigger another JWKS download. */
    public static final Duration JWKS_REFETCH_AFTER = Duration.ofSeconds(30);

    /** A token API Gateway would refuse: the caller gets 401 and the function is never called. */
    public static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unauthorized(String reason) {
            super(reason);
        }

        /** Why, in API Gateway's words where known ({@code www-authenticate} error_description). */
        public String reason() {
            return getMessage();
        }
    }

    /** A verified token: its claims and scopes as API Gateway passes them to the function. */
    public record Verified(Map<String, String> claims, List<String> scopes) {

        /** {@code requestContext.authorizer} for the function's event. */
        public APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer() {
            return LocalJwtAuthorizer.authorizer(claims, scopes);
        }
    }

    private final String issuer;
    private final URI jwksUri;
    private final Set<String> audience;
    private final Clock clock;
    private final HttpClient http;
    private JWKSet keys;
    private Instant keysFetchedAt;

    /** For a Cognito pool: JWKS at {@code <issuer>/.well-known/jwks.json}, the system clock. */
    public LocalJwtAuthorizer(String issuer, Collection<String> audience) {
        this(issuer, audience, Clock.systemUTC());
    }

    public LocalJwtAuthorizer(String issuer, Collection<String> audience, Clock clock) {
        this(issuer, URI.create(issuer + "/.well-known/jwks.json"), audience, clock);
    }

    public LocalJwtAuthorizer(String issuer, URI jwksUri, Collection<String> audience, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.jwksUri = Objects.requireNonNull(jwksUri, "jwksUri");
        this.audience = Set.copyOf(audience);
        if (this.audience.isEmpty()) {
            throw new IllegalArgumentException("a JWT authorizer needs at least one audience");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * Verifies the request's {@code Authorization} header (the authorizer's identity source) and returns the event
     * with {@code requestContext.authorizer} set, as the function would receive it.
     *
     * @throws Unauthorized when API Gateway would answer 401
     */
    public APIGatewayV2HTTPEvent authorize(APIGatewayV2HTTPEvent event) {
        String header = null;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
                if (h.getKey().equalsIgnoreCase("authorization")) {
                    header = h.getValue();
                }
            }
        }
        Verified verified = verifyHeader(header);
        if (event.getRequestContext() == null) {
            event.setRequestContext(new APIGatewayV2HTTPEvent.RequestContext());
        }
        event.getRequestContext().setAuthorizer(verified.authorizer());
        return event;
    }

    /** Verifies an {@code Authorization} header value: {@code Bearer <token>} (API Gateway also takes the bare token). */
    public Verified verifyHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new Unauthorized("no token");
        }
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        return verify(token);
    }

    /** @throws Unauthorized when API Gateway's JWT authorizer would refuse the token */
    public Verified verify(String token) {
        if (token == null || token.isEmpty()) {
            throw new Unauthorized("no token");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new Unauthorized("the token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new Unauthorized("the token is not signed"); // alg none (PlainJWT) or encrypted (EncryptedJWT)
        }
        JWSHeader header = signed.getHeader();
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            throw new Unauthorized("signing method " + header.getAlgorithm() + " is invalid");
        }
        if (header.getKeyID() == null) {
            throw new Unauthorized("the token has no kid");
        }
        RSAKey key = key(header.getKeyID());
        try {
            if (!signed.verify(new RSASSAVerifier(key))) {
                throw new Unauthorized("the token's signature is invalid");
            }
        } catch (JOSEException e) {
            throw new Unauthorized("the token's signature is invalid");
        }

        Map<String, Object> claims = signed.getPayload().toJSONObject();
        if (claims == null) {
            throw new Unauthorized("the token's payload is not a JSON object");
        }
        if (!issuer.equals(claims.get("iss"))) {
            throw new Unauthorized("the token does not have a valid issuer");
        }
        long now = clock.instant().getEpochSecond();
        Long exp = seconds(claims.get("exp"));
        if (exp == null || now >= exp) {
            throw new Unauthorized("the token has expired");
        }
        Long nbf = seconds(claims.get("nbf"));
        if (claims.containsKey("nbf") && (nbf == null || now < nbf)) {
            throw new Unauthorized("the token is not valid yet");
        }
        Long iat = seconds(claims.get("iat"));
        if (claims.containsKey("iat") && (iat == null || now < iat)) {
            throw new Unauthorized("the token was issued in the future");
        }
        Object aud = claims.get("aud");
        if (aud != null) {
            List<?> auds = aud instanceof List<?> list ? list : List.of(aud);
            if (auds.stream().noneMatch(this::inAudience)) {
                throw new Unauthorized("the token does not have a valid audience");
            }
        } else {
            if (!inAudience(claims.get("client_id"))) {
                throw new Unauthorized("the token does not have a valid audience");
            }
            if (!"access".equals(claims.get("token_use"))) {
                throw new Unauthorized("the token is not an access token");
            }
        }

        Map<String, String> rendered = new LinkedHashMap<>();
        claims.forEach((name, value) -> rendered.put(name, render(value)));
        Object scope = claims.get("scope");
        List<String> scopes = scope instanceof String s && !s.isBlank()
                ? Arrays.stream(s.strip().split("\\s+")).toList() : null;
        return new Verified(Map.copyOf(rendered), scopes);
    }

    private boolean inAudience(Object value) {
        return value instanceof String s && audience.contains(s);
    }

    /** {@code requestContext.authorizer} as API Gateway builds it for a JWT authorizer. */
    public static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(Map<String, String> claims, List<String> scopes) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(claims);
        jwt.setScopes(scopes);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        return authorizer;
    }

    /**
     * What API Gateway itself answers when its JWT authorizer refuses a request: 401 {@code {"message":"Unauthorized"}}
     * with a {@code www-authenticate} header giving the reason (none without a token).
     */
    public static APIGatewayV2HTTPResponse unauthorizedResponse(Unauthorized refusal) {
        String challenge = "no token".equals(refusal.reason()) ? "Bearer"
                : "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + refusal.reason().replace("\"", "'") + "\"";
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(401)
                .withHeaders(Map.of("Content-Type", "application/json", "www-authenticate", challenge))
                .withBody("{\"message\":\"Unauthorized\"}")
                .withIsBase64Encoded(false)
                .build();
    }

    /** API Gateway's rendering of a claim value as a string. */
    static String render(Object value) {
        if (value == null) {
            return "<nil>";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Date d) {
            return Long.toString(d.getTime() / 1000);
        }
        if (value instanceof Number n) {
            BigDecimal decimal = new BigDecimal(n.toString());
            return decimal.stripTrailingZeros().scale() <= 0
                    ? decimal.toBigInteger().toString() : decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(LocalJwtAuthorizer::render).collect(Collectors.joining(" ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), render(v)));
            return sorted.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(" ", "map[", "]"));
        }
        return value.toString();
    }

    private static Long seconds(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Date d) {
            return d.getTime() / 1000;
        }
        return null;
    }

    /** The issuer's RSA key with this id; refetches the JWKS (rate-limited) when it does not know the id. */
    private synchronized RSAKey key(String kid) {
        if (keys == null) {
            keys = fetchKeys();
        } else if (keys.getKeyByKeyId(kid) == null && Duration.between(keysFetchedAt, clock.instant()).compareTo(JWKS_REFETCH_AFTER) >= 0) {
            keys = fetchKeys();
        }
        JWK jwk = keys.getKeyByKeyId(kid);
        if (!(jwk instanceof RSAKey rsa)) {
            throw new Unauthorized("the token's key " + kid + " is not one of the issuer's");
        }
        return rsa;
    }

    private JWKSet fetchKeys() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(jwksUri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("JWKS " + jwksUri + " answered " + response.statusCode());
            }
            JWKSet set = JWKSet.parse(response.body());
            keysFetchedAt = clock.instant();
            return set;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("could not read the issuer's JWKS " + jwksUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + jwksUri, e);
        }
    }
}
