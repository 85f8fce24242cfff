package io.cloudnexus.gateway;

import java.util.Map;

import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real HTTP receivers standing in for the services: one for compute, cluster and webhook, another for
 * billing behind a {@link TcpProxy} (cut it to make billing unreachable). Upstream timeouts are
 * shortened to {@value #UPSTREAM_TIMEOUT_SECONDS} s: long enough that a request whose stand-in answers at once is
 * never a 504 on a loaded 2-core CI machine (at 1 s, one was), short enough for the tests that wait for a 504.
 */
public class UpstreamReceiverResource implements QuarkusTestResourceLifecycleManager {

    /** The gateway's upstream timeout in these tests; a stand-in that should be too slow answers well after it. */
    public static final int UPSTREAM_TIMEOUT_SECONDS = 3;

    private static RecordingReceiver receiver;
    private static RecordingReceiver billing;
    private static TcpProxy billingProxy;

    public static RecordingReceiver receiver() {
        return receiver;
    }

    /** The billing-service stand-in. */
    public static RecordingReceiver billing() {
        return billing;
    }

    /** The proxy in front of {@link #billing()}. */
    public static TcpProxy billingProxy() {
        return billingProxy;
    }

    @Override
    public synchronized Map<String, String> start() {
        if (receiver == null) {
            receiver = RecordingReceiver.start();
            billing = RecordingReceiver.start();
            billingProxy = TcpProxy.onFreePort().forwardTo("127.0.0.1", billing.port());
        }
        billingProxy.restore();
        String url = "http://127.0.0.1:" + receiver.port();
        return Map.of(
                "cloudnexus.gateway.routes.compute",
                url,
                "cloudnexus.gateway.routes.cluster",
                url,
                "cloudnexus.gateway.routes.webhook",
                url,
                "cloudnexus.gateway.routes.billing",
                "http://127.0.0.1:" + billingProxy.port(),
                "cloudnexus.gateway.upstream.timeout",
                UPSTREAM_TIMEOUT_SECONDS + "s",
                "cloudnexus.gateway.upstream.connect-timeout",
                "1s");
    }

    @Override
    public synchronized void stop() {
        if (receiver != null) {
            receiver.close();
            billing.close();
            billingProxy.close();
            receiver = null;
            billing = null;
            billingProxy = null;
        }
    }
}
