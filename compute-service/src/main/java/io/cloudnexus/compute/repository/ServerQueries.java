package io.cloudnexus.compute.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.PageRequest;
import io.quarkus.panache.common.Parameters;

/** Reads of the server read model, always scoped to one account (another account's rows do not exist). */
@ApplicationScoped
public class ServerQueries {

    /** Newest first; {@code status} and {@code region} filter when given; fetches one extra row for has_more. */
    public List<ServerEntity> list(String accountId, PageRequest page, String status, String region) {
        StringBuilder q = new StringBuilder("accountId = :account");
        Parameters params = Parameters.with("account", accountId);
        if (status != null) {
            q.append(" and status = :status");
            params.and("status", status);
        }
        if (region != null) {
            q.append(" and region = :region");
            params.and("region", region);
        }
        if (page.startingAfter() != null) {
            ServerEntity cursor = find(accountId, page.startingAfter());
            if (cursor == null) {
                throw ProblemException.invalidField("starting_after", "no server with this id", null);
            }
            q.append(" and (createdAt < :cursorTime or (createdAt = :cursorTime and id < :cursorId))");
            params.and("cursorTime", cursor.createdAt).and("cursorId", cursor.id);
        }
        q.append(" order by createdAt desc, id desc");
        return ServerEntity.<ServerEntity>find(q.toString(), params)
                .page(0, page.fetchSize())
                .list();
    }

    /** The account's server, or null. */
    public ServerEntity find(String accountId, String id) {
        return ServerEntity.<ServerEntity>find("id = ?1 and accountId = ?2", id, accountId)
                .firstResult();
    }

    public ServerEntity get(String accountId, String id) {
        ServerEntity server = find(accountId, id);
        if (server == null) {
            throw ProblemException.notFound("Server", id);
        }
        return server;
    }

    public List<BackupEntity> backups(String accountId, String serverId) {
        return BackupEntity.<BackupEntity>find(
                        "serverId = ?1 and accountId = ?2 order by completedAt desc", serverId, accountId)
                .list();
    }

    public List<BackupRequestEntity> runningBackups(String accountId, String serverId) {
        return BackupRequestEntity.<BackupRequestEntity>find(
                        "serverId = ?1 and accountId = ?2 order by requestedAt desc", serverId, accountId)
                .list();
    }
}
