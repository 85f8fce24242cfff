package io.cloudnexus.compute;

import java.util.Set;

import io.cloudnexus.testsupport.IdentityProtectedContract;
import io.cloudnexus.testsupport.ServiceBootContract;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** compute-service boots against the real Kafka broker and PostgreSQL, reports ready and guards its API. */
@QuarkusTest
@ServiceTest
class ComputeServiceBootTest implements ServiceBootContract, IdentityProtectedContract {

    @Override
    public String restPackage() {
        return "io.cloudnexus.compute.rest";
    }

    @Override
    public Set<String> openMethods() {
        return Set.of("OfferingsResource.regions", "OfferingsResource.plans", "OfferingsResource.images");
    }

    @Override
    public String readPath() {
        return "/servers";
    }

    @Override
    public String writePath() {
        return "/servers";
    }
}
