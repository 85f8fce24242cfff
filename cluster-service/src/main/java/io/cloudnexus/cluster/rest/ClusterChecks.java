package io.cloudnexus.cluster.rest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.cloudnexus.cluster.domain.NodePool;
import io.cloudnexus.cluster.domain.Offerings;
import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.FieldChecks;

/** Checks of the cluster API's request bodies: 400 problem details naming the field and the valid values. */
final class ClusterChecks {

    /** A container image reference: registry/path:tag or @digest, no whitespace. */
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,511}");

    private ClusterChecks() {}

    static List<NodePool> pools(List<ClusterRequests.Pool> pools) {
        FieldChecks.required("node_pools", pools);
        if (pools.isEmpty() || pools.size() > Offerings.MAX_POOLS) {
            throw ProblemException.invalidField(
                    "node_pools", "must hold 1 to " + Offerings.MAX_POOLS + " node pools", null);
        }
        List<NodePool> result = new ArrayList<>(pools.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < pools.size(); i++) {
            String at = "node_pools[" + i + "]";
            ClusterRequests.Pool pool = FieldChecks.required(at, pools.get(i));
            String name = FieldChecks.name(at + ".name", FieldChecks.required(at + ".name", pool.name()));
            if (!names.add(name)) {
                throw ProblemException.invalidField(at + ".name", "node pool names must be unique in a cluster", null);
            }
            String size = FieldChecks.oneOf(at + ".size", pool.size(), Offerings.sizeIds());
            int count = FieldChecks.range(at + ".count", pool.count(), 1, Offerings.MAX_NODES_PER_POOL);
            result.add(new NodePool(name, size, count, 0));
        }
        return result;
    }

    static int poolCount(Integer count) {
        return FieldChecks.range("count", count, 1, Offerings.MAX_NODES_PER_POOL);
    }

    static String image(String image) {
        FieldChecks.required("image", image);
        if (!IMAGE.matcher(image).matches()) {
            throw ProblemException.invalidField(
                    "image",
                    "must be a container image reference such as "
                            + "nginx:1.27 or ghcr.io/acme/api:1.4.2 (at most 512 characters, no spaces)",
                    null);
        }
        return image;
    }

    static int replicas(Integer replicas) {
        return FieldChecks.range("replicas", replicas, 1, Offerings.MAX_REPLICAS);
    }
}
