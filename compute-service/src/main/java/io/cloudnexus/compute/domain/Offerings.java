package io.cloudnexus.compute.domain;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a server can be created with: regions, plans and images (the values GET /regions, /plans, /images list). */
public final class Offerings {

    /** A region a server can run in. */
    public record Region(String id, String name, String location) {}

    /** A server size and its price in cents per hour; backups of it are up to {@code diskGb} large. */
    public record Plan(
            String id,
            String name,
            int vcpus,
            @JsonProperty("memory_gb") int memoryGb,
            @JsonProperty("disk_gb") int diskGb,
            @JsonProperty("price_cents_per_hour") int priceCentsPerHour) {}

    /** An operating-system image. */
    public record Image(String id, String name, String family) {}

    public static final List<Region> REGIONS = List.of(
            new Region("us-east-1", "US East (N. Virginia)", "Ashburn, US"),
            new Region("us-west-2", "US West (Oregon)", "Portland, US"),
            new Region("eu-west-1", "EU West (Ireland)", "Dublin, IE"),
            new Region("eu-central-1", "EU Central (Frankfurt)", "Frankfurt, DE"),
            new Region("ap-southeast-1", "Asia Pacific (Singapore)", "Singapore, SG"));

    public static final List<Plan> PLANS = List.of(
            new Plan("starter", "Starter", 1, 2, 50, 1),
            new Plan("professional", "Professional", 4, 16, 200, 6),
            new Plan("enterprise", "Enterprise", 16, 64, 800, 24));

    public static final List<Image> IMAGES = List.of(
            new Image("ubuntu-22.04", "Ubuntu 22.04 LTS", "ubuntu"),
            new Image("ubuntu-24.04", "Ubuntu 24.04 LTS", "ubuntu"),
            new Image("debian-12", "Debian 12", "debian"),
            new Image("rocky-9", "Rocky Linux 9", "rhel"));

    private Offerings() {}

    public static List<String> regionIds() {
        return REGIONS.stream().map(Region::id).toList();
    }

    public static List<String> planIds() {
        return PLANS.stream().map(Plan::id).toList();
    }

    public static List<String> imageIds() {
        return IMAGES.stream().map(Image::id).toList();
    }

    public static Optional<Plan> plan(String id) {
        return PLANS.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
