package io.cloudnexus.gateway;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The resources every gateway test runs with (one Quarkus boot for the module): a fresh PostgreSQL
 * database behind a cuttable proxy, the in-JVM OIDC provider and recording upstream receivers.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = GatewayDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamReceiverResource.class, scope = TestResourceScope.GLOBAL)
public @interface GatewayTest {}
