package io.cloudnexus.gateway;

import java.util.Map;

import io.cloudnexus.testsupport.RecordingReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP receiver standing in for the compute, cluster and webhook services (billing points at a
 * closed port, to test an unreachable service). Upstream timeouts are shortened to one second.
 */
public class UpstreamReceiverResource implements QuarkusTestResourceLifecycleManager {

    private static RecordingReceiver receiver;

    public static RecordingReceiver receiver() {
        return receiver;
    }

    @Override
    public synchronized Map<String, String> start() {
        if (receiver == null) {
            receiver = RecordingReceiver.start();
        }
        String url = "http://127.0.0.1:" + receiver.port();
        return Map.of(
                "cloudnexus.gateway.routes.compute", url,
                "cloudnexus.gateway.routes.cluster", url,
                "cloudnexus.gateway.routes.webhook", url,
                "cloudnexus.gateway.routes.billing", "http://127.0.0.1:1",
                "cloudnexus.gateway.upstream.timeout", "1s",
                "cloudnexus.gateway.upstream.connect-timeout", "1s");
    }

    @Override
    public synchronized void stop() {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
    }
}
