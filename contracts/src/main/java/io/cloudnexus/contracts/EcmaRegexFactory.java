package io.cloudnexus.contracts;

import java.util.regex.Pattern;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * JDK regular expressions for schema {@code pattern}s, with one ECMA-262 correction: a final
 * {@code $} anchors at the very end of the input. (In Java, {@code $} also matches before a final
 * line terminator, so {@code ^srv_[0-9a-z]+$} would accept {@code "srv_abc\n"}.) Like ECMA-262
 * and the JSON Schema spec, a pattern matches anywhere unless anchored.
 */
final class EcmaRegexFactory implements RegularExpressionFactory {

    static final EcmaRegexFactory INSTANCE = new EcmaRegexFactory();

    private EcmaRegexFactory() {}

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(toJava(regex));
        return value -> pattern.matcher(value).find();
    }

    /** Replaces a trailing, unescaped {@code $} by {@code \z}. */
    static String toJava(String regex) {
        if (!regex.endsWith("$")) {
            return regex;
        }
        int backslashes = 0;
        for (int i = regex.length() - 2; i >= 0 && regex.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 0 ? regex.substring(0, regex.length() - 1) + "\\z" : regex;
    }
}
