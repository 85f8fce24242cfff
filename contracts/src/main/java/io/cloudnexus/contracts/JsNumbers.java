package io.cloudnexus.contracts;

import java.math.BigDecimal;
import java.math.BigInteger;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Formats numbers exactly as JavaScript's {@code Number.prototype.toString} (and therefore
 * {@code JSON.stringify}) does, so canonical JSON survives {@code JSON.parse}/{@code JSON.stringify}.
 */
final class JsNumbers {

    /** {@code Number.MAX_SAFE_INTEGER}: 2^53 - 1. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final BigInteger MAX_SAFE = BigInteger.valueOf(MAX_SAFE_INTEGER);

    private JsNumbers() {}

    /** An integer within the JavaScript safe range, printed in plain decimal. */
    static String integer(long value) {
        if (value > MAX_SAFE_INTEGER || value < -MAX_SAFE_INTEGER) {
            throw unsafe(String.valueOf(value));
        }
        return Long.toString(value);
    }

    /** An integer within the JavaScript safe range, printed in plain decimal. */
    static String integer(BigInteger value) {
        if (value.abs().compareTo(MAX_SAFE) > 0) {
            throw unsafe(value.toString());
        }
        return value.toString();
    }

    /** A decimal: integral values follow {@link #integer(BigInteger)}, others the nearest double. */
    static String decimal(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            return integer(stripped.toBigIntegerExact());
        }
        return ofDouble(value.doubleValue());
    }

    /**
     * A finite double as JavaScript prints it: the shortest digits that round-trip, integral values
     * without a decimal point (below 1e21), exponent form {@code 1e+21} / {@code 1e-7} outside
     * JavaScript's plain range, {@code -0} as {@code 0}.
     *
     * @throws IllegalArgumentException for NaN and infinities (JSON has no representation)
     */
    static String ofDouble(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("non-finite number has no JSON form: " + value);
        }
        if (value == 0) {
            return "0";
        }
        double abs = Math.abs(value);
        String java = NumberOutput.toString(abs, true); // Schubfach: shortest, e.g. "1.5E-7"
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        int exp = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        int dot = mantissa.indexOf('.');
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int n = dot + exp;
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits = digits.substring(lead);
        n -= lead;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        if (digits.length() == 2) {
            // Java may choose two digits where one suffices (e.g. 4.9E-324); JavaScript never does.
            String[] one = oneDigit(abs, digits, n);
            if (one != null) {
                digits = one[0];
                n = Integer.parseInt(one[1]);
            }
        }
        String text = layout(digits, n);
        return value < 0 ? "-" + text : text;
    }

    /** The closest one-digit decimal that reads back as {@code abs}, as {digit, n}, or null. */
    private static String[] oneDigit(double abs, String digits, int n) {
        int d1 = digits.charAt(0) - '0';
        BigDecimal exact = new BigDecimal(abs);
        String[] best = null;
        BigDecimal bestDistance = null;
        for (int d = d1; d <= d1 + 1; d++) {
            String digit = d == 10 ? "1" : String.valueOf(d);
            int cn = d == 10 ? n + 1 : n;
            BigDecimal candidate = new BigDecimal(new BigInteger(digit), 1 - cn);
            if (candidate.doubleValue() != abs) {
                continue;
            }
            BigDecimal distance = candidate.subtract(exact).abs();
            if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
                best = new String[] {digit, String.valueOf(cn)};
                bestDistance = distance;
            }
        }
        return best;
    }

    /** ECMA-262 Number::toString layout of value = 0.digits * 10^n (k = digits.length()). */
    private static String layout(String digits, int n) {
        int k = digits.length();
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        int e = n - 1;
        String exponent = (e > 0 ? "e+" : "e-") + Math.abs(e);
        return k == 1 ? digits + exponent : digits.charAt(0) + "." + digits.substring(1) + exponent;
    }

    private static IllegalArgumentException unsafe(String value) {
        return new IllegalArgumentException("integer " + value + " is outside JavaScript's safe range" + " (+/-"
                + MAX_SAFE_INTEGER + ") and would not survive JSON.parse; send it as a string");
    }
}
