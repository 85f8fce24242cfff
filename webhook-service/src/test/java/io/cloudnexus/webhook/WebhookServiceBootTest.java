package io.cloudnexus.webhook;

import java.util.Set;

import io.cloudnexus.testsupport.IdentityProtectedContract;
import io.cloudnexus.testsupport.ServiceBootContract;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** webhook-service boots against the real Kafka broker and PostgreSQL, reports ready and guards its API. */
@QuarkusTest
@ServiceTest
class WebhookServiceBootTest implements ServiceBootContract, IdentityProtectedContract {

    @Override
    public String restPackage() {
        return "io.cloudnexus.webhook.rest";
    }

    @Override
    public Set<String> openMethods() {
        return Set.of("EventTypeResource.list");
    }

    @Override
    public String readPath() {
        return "/webhooks";
    }

    @Override
    public String writePath() {
        return "/webhooks";
    }
}
