package io.cloudnexus.cluster.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.PageRequest;

/** Reads of the cluster read models, always scoped to one account (another account's rows do not exist). */
@ApplicationScoped
public class ClusterQueries {

    /** Newest first; fetches one extra row for has_more. */
    public List<ClusterEntity> list(String accountId, PageRequest page) {
        if (page.startingAfter() == null) {
            return ClusterEntity.<ClusterEntity>find("accountId = ?1 order by createdAt desc, id desc", accountId)
                    .page(0, page.fetchSize())
                    .list();
        }
        ClusterEntity cursor = find(accountId, page.startingAfter());
        if (cursor == null) {
            throw ProblemException.invalidField("starting_after", "no cluster with this id", null);
        }
        return ClusterEntity.<ClusterEntity>find(
                        "accountId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3)) "
                                + "order by createdAt desc, id desc",
                        accountId,
                        cursor.createdAt,
                        cursor.id)
                .page(0, page.fetchSize())
                .list();
    }

    /** The account's cluster, or null. */
    public ClusterEntity find(String accountId, String id) {
        return ClusterEntity.<ClusterEntity>find("id = ?1 and accountId = ?2", id, accountId)
                .firstResult();
    }

    public ClusterEntity get(String accountId, String id) {
        ClusterEntity cluster = find(accountId, id);
        if (cluster == null) {
            throw ProblemException.notFound("Cluster", id);
        }
        return cluster;
    }

    /** Deployments of the account's cluster, newest first (404 for an unknown or foreign cluster). */
    public List<DeploymentEntity> deployments(String accountId, String clusterId, PageRequest page) {
        get(accountId, clusterId);
        if (page.startingAfter() == null) {
            return DeploymentEntity.<DeploymentEntity>find(
                            "clusterId = ?1 and accountId = ?2 " + "order by createdAt desc, id desc",
                            clusterId,
                            accountId)
                    .page(0, page.fetchSize())
                    .list();
        }
        DeploymentEntity cursor = deployment(accountId, clusterId, page.startingAfter());
        return DeploymentEntity.<DeploymentEntity>find(
                        "clusterId = ?1 and accountId = ?2 and (createdAt < ?3 or "
                                + "(createdAt = ?3 and id < ?4)) order by createdAt desc, id desc",
                        clusterId,
                        accountId,
                        cursor.createdAt,
                        cursor.id)
                .page(0, page.fetchSize())
                .list();
    }

    public DeploymentEntity deployment(String accountId, String clusterId, String id) {
        get(accountId, clusterId);
        DeploymentEntity d = DeploymentEntity.<DeploymentEntity>find(
                        "id = ?1 and clusterId = ?2 and accountId = ?3", id, clusterId, accountId)
                .firstResult();
        if (d == null) {
            throw ProblemException.notFound("Deployment", id);
        }
        return d;
    }
}
