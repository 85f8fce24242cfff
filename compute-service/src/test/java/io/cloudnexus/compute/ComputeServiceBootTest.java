package io.cloudnexus.compute;

import java.util.Set;

import io.cloudnexus.testsupport.IdentityProtectedContract;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceBootContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** compute-service boots against the real Kafka broker and PostgreSQL, reports ready and guards its API. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
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
