package io.cloudnexus.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The resources a backend service's {@code @QuarkusTest} runs with, shared by every test class of the module (one
 * Quarkus boot): the in-process Kafka broker ({@link KafkaBrokerResource}) and a fresh PostgreSQL database
 * ({@link PostgresDatabaseResource}). A test class adds {@code @QuarkusTest @ServiceTest}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
public @interface ServiceTest {}
