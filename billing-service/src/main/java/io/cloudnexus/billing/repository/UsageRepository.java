package io.cloudnexus.billing.repository;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.cloudnexus.billing.domain.Period;

/** Metering state: the consumed-event ledger and usage segments, always per account. */
@ApplicationScoped
public class UsageRepository {

    private final EntityManager em;

    public UsageRepository(EntityManager em) {
        this.em = em;
    }

    /** Records the event as consumed; false if it already was (a redelivery: the caller changes nothing). */
    public boolean markConsumed(String eventId, String type, String accountId, Instant occurredAt, String outcome) {
        return em.createNativeQuery("INSERT INTO consumed_event (event_id, type, account_id, occurred_at, outcome) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id) DO NOTHING")
                        .setParameter(1, eventId)
                        .setParameter(2, type)
                        .setParameter(3, accountId)
                        .setParameter(4, occurredAt)
                        .setParameter(5, outcome)
                        .executeUpdate()
                == 1;
    }

    public UsageSegmentEntity open(String resourceId) {
        return UsageSegmentEntity.<UsageSegmentEntity>find("resourceId = ?1 and endedAt is null", resourceId)
                .firstResult();
    }

    public List<UsageSegmentEntity> openOfCluster(String clusterId) {
        return UsageSegmentEntity.<UsageSegmentEntity>find("clusterId = ?1 and endedAt is null", clusterId)
                .list();
    }

    /** Segments of the account that overlap the period, oldest first. */
    public List<UsageSegmentEntity> overlapping(String accountId, Period period) {
        return UsageSegmentEntity.<UsageSegmentEntity>find(
                        "accountId = ?1 and startedAt < ?2 "
                                + "and (endedAt is null or endedAt > ?3) order by startedAt, id",
                        accountId,
                        period.end(),
                        period.start())
                .list();
    }

    /** Accounts with usage in the period (candidates for an invoice). */
    public List<String> accountsWithUsage(Period period) {
        return em.createQuery(
                        "select distinct s.accountId from UsageSegmentEntity s where s.startedAt < ?1 "
                                + "and (s.endedAt is null or s.endedAt > ?2)",
                        String.class)
                .setParameter(1, period.end())
                .setParameter(2, period.start())
                .getResultList();
    }
}
