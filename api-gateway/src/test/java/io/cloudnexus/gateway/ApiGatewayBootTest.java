package io.cloudnexus.gateway;

import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceBootContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;

/** The gateway boots against the real PostgreSQL and reports ready (it uses no Kafka). */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ApiGatewayBootTest implements ServiceBootContract {

    @Override
    public boolean usesKafka() {
        return false;
    }
}
