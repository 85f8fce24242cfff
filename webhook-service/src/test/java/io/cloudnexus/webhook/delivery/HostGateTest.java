package io.cloudnexus.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HostGateTest {

    private final ArrayDeque<Runnable> handedOff = new ArrayDeque<>();
    private final HostGate gate = new HostGate(2, handedOff::add);
    private final List<String> started = new ArrayList<>();

    @Test
    void startsAtOnceUpToThePermitsThenInArrivalOrderAsAttemptsEnd() {
        gate.enter("http://a:80", () -> started.add("1"));
        gate.enter("http://a:80", () -> started.add("2"));
        gate.enter("http://a:80", () -> started.add("3"));
        gate.enter("http://a:80", () -> started.add("4"));
        assertThat(started).containsExactly("1", "2");
        assertThat(gate.waiting("http://a:80")).isEqualTo(2);

        gate.release("http://a:80"); // "1" ended: its permit goes to "3", started off the releasing stack
        assertThat(started).containsExactly("1", "2");
        handedOff.poll().run();
        assertThat(started).containsExactly("1", "2", "3");

        gate.release("http://a:80");
        handedOff.poll().run();
        assertThat(started).containsExactly("1", "2", "3", "4");
        assertThat(gate.waiting("http://a:80")).isZero();

        gate.release("http://a:80");
        gate.release("http://a:80"); // both permits free again: the next two start at once
        gate.enter("http://a:80", () -> started.add("5"));
        gate.enter("http://a:80", () -> started.add("6"));
        assertThat(started).endsWith("5", "6");
        assertThat(handedOff).isEmpty();
    }

    @Test
    void destinationsDoNotShareTheirPermits() {
        gate.enter("http://a:80", () -> started.add("a1"));
        gate.enter("http://a:80", () -> started.add("a2"));
        gate.enter("http://a:80", () -> started.add("a3"));
        gate.enter("http://b:80", () -> started.add("b1"));
        assertThat(started).containsExactly("a1", "a2", "b1");
    }

    @Test
    void aDestinationIsSchemeHostAndPortAsTheConnectionPoolSeesThem() {
        assertThat(HostGate.destination(URI.create("https://Hooks.Example.com/a?x=1")))
                .isEqualTo(HostGate.destination(URI.create("https://hooks.example.com:443/b")));
        assertThat(HostGate.destination(URI.create("http://127.0.0.1:8080/x"))).isEqualTo("http://127.0.0.1:8080");
        assertThat(HostGate.destination(URI.create("http://127.0.0.1:8080/x")))
                .isNotEqualTo(HostGate.destination(URI.create("http://127.0.0.1:8081/x")));
    }
}
