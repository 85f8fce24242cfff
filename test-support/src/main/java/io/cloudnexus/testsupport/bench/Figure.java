package io.cloudnexus.testsupport.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One benchmark figure as {@code report.json} holds it: its value and unit, the target it is held to ({@code "< 50"},
 * {@code ">= 0.75"}, in the figure's unit; null when the figure is informative only), whether it met it (null
 * without a target), the floor measured beside it in the same run (null when none applies) and the 1-minute load
 * average when it was taken.
 */
@JsonPropertyOrder({"name", "value", "unit", "target", "met", "floor", "load_average"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Figure(
        @JsonProperty("name") String name,
        @JsonProperty("value") double value,
        @JsonProperty("unit") String unit,
        @JsonProperty("target") String target,
        @JsonProperty("met") Boolean met,
        @JsonProperty("floor") Double floor,
        @JsonProperty("load_average") Double loadAverage) {

    /** A figure whose {@code met} is computed from {@code value} and {@code target}. */
    public static Figure of(String name, double value, String unit, String target, Double floor, Double loadAverage) {
        return new Figure(
                name, value, unit, target, target == null ? null : Target.met(value, target), floor, loadAverage);
    }
}
