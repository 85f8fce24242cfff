package io.cloudnexus.compute;

import java.util.Arrays;

import jakarta.enterprise.inject.spi.CDI;

import io.cloudnexus.eventstore.projection.ProjectionRebuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: serves the API, or with {@code --rebuild-projections} replays the event store into fresh read
 * models and exits ({@code java -jar target/quarkus-app/quarkus-run.jar --rebuild-projections}).
 */
@QuarkusMain
public class ComputeMain implements QuarkusApplication {

    public static final String REBUILD_FLAG = "--rebuild-projections";

    public static void main(String... args) {
        Quarkus.run(ComputeMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (Arrays.asList(args).contains(REBUILD_FLAG)) {
            long events = CDI.current().select(ProjectionRebuilder.class).get().rebuild();
            System.out.println("Rebuilt the compute read models from " + events + " events");
            return 0;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
