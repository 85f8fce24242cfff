package io.cloudnexus.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.cloudnexus.common.rest.SafeText;

/**
 * A JSON string (value or object key) of a request holds a character no service may store (see {@link SafeText}).
 * Jackson adds the path of the field while it unwinds, so the problem mapper answers 400 naming the field.
 */
public class UnsafeTextException extends MismatchedInputException {

    public UnsafeTextException(JsonParser parser) {
        super(parser, SafeText.MESSAGE, String.class);
    }
}
