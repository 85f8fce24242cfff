package io.cloudnexus.common.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/** Registers {@link SafeTextModule} on the ObjectMapper Quarkus REST reads request bodies with. */
@Singleton
public class SafeTextCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SafeTextModule());
    }
}
