package io.cloudnexus.testsupport.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A figure's target as written in the report: a comparison and a number, e.g. {@code "< 50"}, {@code ">= 0.75"}. */
public final class Target {

    private static final Pattern FORM = Pattern.compile("\\s*(<=|>=|<|>|=)\\s*([-+]?[0-9][0-9_,]*(?:\\.[0-9]+)?)\\s*");

    private Target() {}

    /** Whether {@code value} meets {@code target}; an unreadable target is an error (a typo must not pass). */
    public static boolean met(double value, String target) {
        Matcher m = FORM.matcher(target);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "target '" + target + "' is not '<op> <number>' with <op> one of <, <=, >, >=, =");
        }
        double bound = Double.parseDouble(m.group(2).replace("_", "").replace(",", ""));
        return switch (m.group(1)) {
            case "<" -> value < bound;
            case "<=" -> value <= bound;
            case ">" -> value > bound;
            case ">=" -> value >= bound;
            default -> value == bound;
        };
    }
}
