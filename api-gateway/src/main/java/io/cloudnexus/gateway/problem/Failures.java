package io.cloudnexus.gateway.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;

/**
 * What the caller is told about a failure the gateway did not expect: 503 with Retry-After when its own
 * database (API keys, accounts, idempotency records) cannot be reached, a dependency outage the client
 * can wait out; 500 for anything else. Both are logged (the 500 with its stack trace), never shown.
 */
@ApplicationScoped
public class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);

    private final String retryAfter;

    public Failures(GatewayConfig config) {
        this.retryAfter =
                Long.toString(Math.max(1, config.upstream().retryAfter().toSeconds()));
    }

    /** The problem to answer for {@code failure} of request {@code requestId}; logs it. */
    public ProblemException toProblem(Throwable failure, String requestId, String method, String path) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        if (databaseUnavailable(failure)) {
            LOG.warnf(
                    "Database unavailable (request %s, %s %s): %s",
                    requestId, LogSafe.clean(method), LogSafe.clean(path), LogSafe.clean(rootMessage(failure)));
            return databaseUnavailable();
        }
        LOG.errorf(
                failure,
                "Unexpected gateway error (request %s, %s %s)",
                requestId,
                LogSafe.clean(method),
                LogSafe.clean(path));
        return new ProblemException(
                500, "internal", "Internal error", "An unexpected error occurred; quote the request id to support");
    }

    /** 503: the gateway's own database is unavailable. */
    public ProblemException databaseUnavailable() {
        return new ProblemException(
                503,
                "service-unavailable",
                "Service unavailable",
                "The gateway cannot reach its database; retry later",
                Map.of("Retry-After", retryAfter));
    }

    /**
     * Whether {@code failure} (or a cause) says the database cannot be reached: a connection-class SQL
     * state (08xxx), the server shutting down or refusing connections (57P0x, 53300), a connection
     * exception of the driver or Hibernate, or the pool's acquisition timeout.
     */
    public static boolean databaseUnavailable(Throwable failure) {
        int depth = 0;
        for (Throwable e = failure; e != null && depth < 32; e = e.getCause(), depth++) {
            if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) {
                    return true;
                }
            }
            if (e.getClass().getName().endsWith("JDBCConnectionException")) {
                return true;
            }
            String message = e.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        int depth = 0;
        while (root.getCause() != null && depth++ < 32) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
