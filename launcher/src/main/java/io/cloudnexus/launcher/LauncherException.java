package io.cloudnexus.launcher;

/** A failure the launcher reports as one clear message (and exit status 1), without a stack trace. */
public class LauncherException extends RuntimeException {

    public LauncherException(String message) {
        super(message);
    }

    public LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
