package io.cloudnexus.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.awaitility.core.ConditionTimeoutException;

import io.cloudnexus.testsupport.CountingReceiver;

/** Bounded waits (Awaitility) that return instead of throwing, so a scenario can still report its numbers. */
final class Awaits {

    private Awaits() {}

    /** Waits for {@code condition}; throws (the scenario cannot continue) if it does not hold within {@code timeout}. */
    static void until(Callable<Boolean> condition, Duration timeout, String what) {
        await(what).atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition);
    }

    /** Waits for {@code condition}; returns whether it held within {@code timeout}. */
    static boolean within(Callable<Boolean> condition, Duration timeout) {
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Polls the receivers' arrivals until {@code done} holds or the wall clock passes {@code deadlineMillis};
     * returns the arrivals at that moment.
     */
    static List<CountingReceiver.Arrival> arrivalsUntil(
            List<CountingReceiver> receivers, Predicate<List<CountingReceiver.Arrival>> done, long deadlineMillis) {
        long timeout = Math.max(1, deadlineMillis - System.currentTimeMillis());
        within(() -> done.test(arrivals(receivers)), Duration.ofMillis(timeout));
        return arrivals(receivers);
    }

    static List<CountingReceiver.Arrival> arrivals(List<CountingReceiver> receivers) {
        List<CountingReceiver.Arrival> all = new ArrayList<>();
        receivers.forEach(r -> all.addAll(r.arrivals()));
        return all;
    }
}
