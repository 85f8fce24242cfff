package io.cloudnexus.billing.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.cloudnexus.common.problem.ProblemException;

/** A billing period: one calendar month in UTC, {@code [start, end)}. */
public record Period(YearMonth month) {

    public static Period of(Instant instant) {
        return new Period(YearMonth.from(instant.atZone(ZoneOffset.UTC)));
    }

    public static Period current() {
        return of(Instant.now());
    }

    /** Parses {@code YYYY-MM} (a 400 naming {@code field} otherwise); null gives {@code fallback}. */
    public static Period parse(String field, String text, Period fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return new Period(YearMonth.parse(text.trim()));
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a month as YYYY-MM, e.g. 2025-03", null);
        }
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The first instant after the period. */
    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public LocalDate firstDay() {
        return month.atDay(1);
    }

    /** Last day, inclusive (as billing.invoice.finalized's period_end). */
    public LocalDate lastDay() {
        return month.atEndOfMonth();
    }

    public Period previous() {
        return new Period(month.minusMonths(1));
    }

    public boolean hasEnded(Instant now) {
        return !end().isAfter(now);
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
