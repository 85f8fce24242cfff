package io.cloudnexus.billing;

import io.cloudnexus.testsupport.IdentityProtectedContract;
import io.cloudnexus.testsupport.ServiceBootContract;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** billing-service boots against the real Kafka broker and PostgreSQL, reports ready and guards its API. */
@QuarkusTest
@ServiceTest
class BillingServiceBootTest implements ServiceBootContract, IdentityProtectedContract {

    @Override
    public String restPackage() {
        return "io.cloudnexus.billing.rest";
    }

    @Override
    public String readPath() {
        return "/billing/invoices";
    }

    @Override
    public String writePath() {
        return "/billing/invoices/finalize";
    }

    @Override
    public String writeScope() {
        return "admin";
    }
}
