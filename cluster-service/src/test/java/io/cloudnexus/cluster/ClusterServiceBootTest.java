package io.cloudnexus.cluster;

import java.util.Set;

import io.cloudnexus.testsupport.IdentityProtectedContract;
import io.cloudnexus.testsupport.ServiceBootContract;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** cluster-service boots against the real Kafka broker and PostgreSQL, reports ready and guards its API. */
@QuarkusTest
@ServiceTest
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
