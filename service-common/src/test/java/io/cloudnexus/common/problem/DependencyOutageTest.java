package io.cloudnexus.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import jakarta.persistence.PersistenceException;

import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * The one classification behind every service's 503 (compute, cluster, billing, webhook): connection failures
 * however they are wrapped; data and constraint errors stay 500/409 material.
 */
class DependencyOutageTest {

    /** What the event store and the repositories wrap SQL failures in. */
    static class WrappingException extends RuntimeException {
        WrappingException(Throwable cause) {
            super("Could not append to srv_x", cause);
        }
    }

    @ParameterizedTest(name = "SQLState {0}")
    @ValueSource(strings = {"08000", "08001", "08003", "08006", "08P01", "57P01", "57P02", "57P03", "53300"})
    void connectionAndShutdownStatesAreOutages(String state) {
        SQLException sql = new SQLException("boom", state);
        assertThat(DependencyOutage.isCause(sql)).isTrue();
        assertThat(DependencyOutage.isCause(new WrappingException(sql))).isTrue();
        assertThat(DependencyOutage.isCause(new PersistenceException(new WrappingException(sql))))
                .isTrue();
    }

    @Test
    void theDriversConnectionFailuresAndThePoolsTimeoutAreOutages() {
        PSQLException refused = new PSQLException(
                "Connection to 127.0.0.1:5432 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"));
        assertThat(DependencyOutage.isCause(new WrappingException(refused))).isTrue();
        assertThat(DependencyOutage.isCause(new PSQLException(
                        "An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE)))
                .isTrue();
        assertThat(DependencyOutage.isCause(new SQLException("Sorry, acquisition timeout!")))
                .isTrue();
        assertThat(DependencyOutage.isCause(new SQLTransientConnectionException("pool exhausted")))
                .isTrue();
    }

    @Test
    void hibernateAndKafkaWrappersAreOutages() {
        assertThat(DependencyOutage.isCause(new PersistenceException(new JDBCConnectionException(
                        "Unable to acquire " + "JDBC Connection", new SQLException("no state")))))
                .isTrue();
        assertThat(DependencyOutage.isCause(new RuntimeException(new org.apache.kafka.common.errors.TimeoutException(
                        "Timeout expired while fetching metadata"))))
                .isTrue();
        assertThat(DependencyOutage.isCause(
                        new RuntimeException(new org.apache.kafka.common.errors.DisconnectException("gone"))))
                .isTrue();
    }

    @Test
    void suppressedAndChainedSqlExceptionsAreSearched() {
        RuntimeException rollback = new RuntimeException("commit failed");
        rollback.addSuppressed(new SQLException("closed", "08003"));
        assertThat(DependencyOutage.isCause(rollback)).isTrue();
        SQLException batch = new SQLException("batch failed", "XX000");
        batch.setNextException(new SQLException("terminating connection due to administrator command", "57P01"));
        assertThat(DependencyOutage.isCause(batch)).isTrue();
    }

    @Test
    void defectsAndClientDataAreNotOutages() {
        assertThat(DependencyOutage.isCause(new WrappingException(new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(DependencyOutage.isCause(new WrappingException(new SQLException("invalid byte sequence", "22021"))))
                .isFalse();
        assertThat(DependencyOutage.isCause(
                        new ConstraintViolationException("x", new SQLException("x", "23503"), "fk")))
                .isFalse();
        assertThat(DependencyOutage.isCause(new IllegalStateException("bug"))).isFalse();
        assertThat(DependencyOutage.isCause(new SQLException("no state at all")))
                .isFalse();
        assertThat(DependencyOutage.isCause(null)).isFalse();
        RuntimeException loop = new RuntimeException("self");
        RuntimeException other = new RuntimeException("other", loop);
        loop.initCause(other);
        assertThat(DependencyOutage.isCause(loop)).isFalse();
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(ProblemExceptionMappers.retryAfterSeconds(Duration.ofMillis(1)))
                .isEqualTo(1);
        assertThat(ProblemExceptionMappers.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(ProblemExceptionMappers.retryAfterSeconds(Duration.ofSeconds(2)))
                .isEqualTo(2);
        assertThat(ProblemExceptionMappers.retryAfterSeconds(Duration.ofMillis(2001)))
                .isEqualTo(3);
    }
}
