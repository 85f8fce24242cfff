package io.cloudnexus.launcher;

import java.io.PrintStream;

/** The launcher's output: {@code ==>} steps, {@code ok} results, warnings and errors; coloured on a terminal. */
final class Console {

    private final PrintStream out;
    private final PrintStream err;
    final boolean tty;
    final String bold;
    final String green;
    final String yellow;
    final String red;
    final String dim;
    final String reset;

    Console(PrintStream out, PrintStream err, boolean tty) {
        this.out = out;
        this.err = err;
        this.tty = tty;
        bold = tty ? "\033[1m" : "";
        green = tty ? "\033[32m" : "";
        yellow = tty ? "\033[33m" : "";
        red = tty ? "\033[31m" : "";
        dim = tty ? "\033[2m" : "";
        reset = tty ? "\033[0m" : "";
    }

    static Console system() {
        return new Console(System.out, System.err, System.console() != null);
    }

    void say(String message) {
        out.printf("%s==>%s %s%n", bold, reset, message);
    }

    void ok(String message) {
        out.printf("%s  ok%s %s%n", green, reset, message);
    }

    void stopped(String name) {
        out.printf("%s  stopped%s %s%n", dim, reset, name);
    }

    void warn(String message) {
        err.printf("%swarn%s %s%n", yellow, reset, message);
    }

    void error(String message) {
        err.printf("%serror%s %s%n", red, reset, message);
    }

    void line(String text) {
        out.println(text);
    }

    void errLine(String text) {
        err.println(text);
    }

    /** A progress line: rewritten in place on a terminal. */
    void progress(String text) {
        out.print("\r\033[K" + text);
        out.flush();
    }

    void endProgress() {
        if (tty) {
            out.println();
        }
    }

    /** 12345 ms as {@code 12.3s}. */
    static String seconds(long millis) {
        return (millis / 1000) + "." + ((millis % 1000) / 100) + "s";
    }
}
