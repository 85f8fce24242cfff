package io.cloudnexus.contracts;

/**
 * Crockford's base32 alphabet in lowercase (no i, l, o, u). Its characters are in ascending
 * ASCII order, so fixed-width encodings sort like the numbers they encode.
 */
final class Base32 {

    static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

    private Base32() {}

    static char digit(int value) {
        return ALPHABET.charAt(value & 31);
    }

    /** Value of one alphabet character, or -1 if it is not one. */
    static int value(char c) {
        return ALPHABET.indexOf(c);
    }
}
