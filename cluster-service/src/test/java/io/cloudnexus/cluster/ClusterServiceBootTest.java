package io.cloudnexus.cluster;

import java.util.Set;

import io.cloudnexus.testsupport.IdentityProtectedContract;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceBootContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** cluster-service boots against the real Kafka broker and PostgreSQL, reports ready and guards its API. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ClusterServiceBootTest implements ServiceBootContract, IdentityProtectedContract {

    @Override
    public String restPackage() {
        return "io.cloudnexus.cluster.rest";
    }

    @Override
    public Set<String> openMethods() {
        return Set.of("OptionsResource.options");
    }

    @Override
    public String readPath() {
        return "/clusters/k8s";
    }

    @Override
    public String writePath() {
        return "/clusters/k8s";
    }
}
