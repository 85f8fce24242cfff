package io.cloudnexus.gateway;

import io.cloudnexus.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The gateway boots against the real PostgreSQL and reports ready (it uses no Kafka; Redis and OIDC
 * never make readiness fail), with metrics and the OpenAPI document.
 */
@QuarkusTest
@GatewayTest
class ApiGatewayBootTest implements ServiceBootContract {

    @Override
    public boolean usesKafka() {
        return false;
    }
}
