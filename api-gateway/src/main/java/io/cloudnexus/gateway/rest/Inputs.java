package io.cloudnexus.gateway.rest;

import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.LogSafe;
import io.cloudnexus.gateway.problem.ProblemException;

/**
 * Checks of what the admin API receives before anything is stored or looked up: names without control
 * characters (a NUL cannot even be stored by PostgreSQL) and of bounded length, ids of the right form.
 */
public final class Inputs {

    static final int MAX_NAME_LENGTH = 200;
    private static final Pattern KEY_ID = Pattern.compile("key_[0-9A-Za-z]{1,64}");
    private static final Pattern PERIOD = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");

    private Inputs() {}

    /** A display name: 400 if it has control characters or is longer than {@value #MAX_NAME_LENGTH}. */
    public static String name(String field, String value) {
        if (value == null) {
            return null;
        }
        if (LogSafe.hasControl(value)) {
            throw ProblemException.badRequest(field + " must not contain control characters");
        }
        String trimmed = value.trim();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw ProblemException.badRequest(field + " must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return trimmed;
    }

    /** Scopes to grant: 400 unless a non-empty subset of read, write, admin (no null). */
    public static Set<String> scopes(Collection<String> scopes) {
        if (scopes == null
                || scopes.isEmpty()
                || scopes.stream().anyMatch(scope -> scope == null || !Scope.ALL.contains(scope))) {
            throw ProblemException.badRequest("scopes must be a non-empty subset of read, write, admin");
        }
        return Set.copyOf(scopes);
    }

    /** An account id in a path: 404 unless it has the form of one (nothing else can exist). */
    static String accountId(String value) {
        if (!ResourceIds.isValid(ResourceIds.ACCOUNT, value)) {
            throw ProblemException.notFound("No account " + printable(value));
        }
        return value;
    }

    /** A key id in a path: 404 unless it has the form of one. */
    public static String keyId(String value) {
        if (value == null || !KEY_ID.matcher(value).matches()) {
            throw ProblemException.notFound("No key " + printable(value));
        }
        return value;
    }

    /** An optional account id in a body: 400 unless absent or of the form acc_... */
    static String optionalAccountId(String field, String value) {
        if (value != null && !ResourceIds.isValid(ResourceIds.ACCOUNT, value)) {
            throw ProblemException.badRequest(field + " must be an account id (acc_...)");
        }
        return value;
    }

    /** An optional billing period: 400 unless absent or YYYY-MM. */
    static String optionalPeriod(String field, String value) {
        if (value != null && !PERIOD.matcher(value).matches()) {
            throw ProblemException.badRequest(field + " must be a month, YYYY-MM");
        }
        return value;
    }

    private static String printable(String value) {
        return value == null ? "" : LogSafe.clean(value);
    }
}
