package com.pisync.auth;

import com.pisync.aws.http.ApiProblem;
import java.util.List;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordResetRequiredException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyFailedAttemptsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * The one place where Cognito's refusals of a sign-in become HTTP answers. Every way Cognito (or
 * cognito-local) says "these credentials / this token do not work" gets the same 401, so a caller cannot
 * tell an unknown user from a wrong password, a disabled user, one who must reset the password, or a
 * revoked refresh token from a forged one.
 */
final class CognitoErrors {

    static final String BAD_CREDENTIALS = "Incorrect username or password.";
    static final String BAD_REFRESH_TOKEN = "The refresh token is invalid or has been revoked.";

    private CognitoErrors() {
    }

    /**
     * True when Cognito refused what the caller sent: NotAuthorizedException (wrong password, unknown user with
     * PreventUserExistenceErrors, disabled user, revoked / expired / forged refresh token, too many attempts),
     * UserNotFoundException (unknown user without PreventUserExistenceErrors), InvalidPasswordException
     * (cognito-local's wrong password), PasswordResetRequiredException, UserNotConfirmedException,
     * TooManyFailedAttemptsException.
     */
    static boolean refused(CognitoIdentityProviderException e) {
        return e instanceof NotAuthorizedException
                || e instanceof UserNotFoundException
                || e instanceof InvalidPasswordException
                || e instanceof PasswordResetRequiredException
                || e instanceof UserNotConfirmedException
                || e instanceof TooManyFailedAttemptsException;
    }

    static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "/problems/unauthorized", "Unauthorized", detail, List.of());
    }

    /**
     * What a failed sign-in call answers: the route's 401 when Cognito refused the credentials, 429 when
     * Cognito throttles, otherwise the exception itself (a 500 with a request id; the log keeps the cause).
     */
    static RuntimeException signInFailure(CognitoIdentityProviderException e, String refusedDetail) {
        if (refused(e)) {
            return unauthorized(refusedDetail);
        }
        return unlessThrottled(e);
    }

    /** 429 when Cognito throttles; otherwise {@code e} itself (500). */
    static RuntimeException unlessThrottled(CognitoIdentityProviderException e) {
        if (e instanceof TooManyRequestsException) {
            return new ApiProblem(429, "/problems/too-many-requests", "Too many requests",
                    "Too many sign-in requests right now; retry in a few seconds.", List.of());
        }
        return e;
    }
}
