-- cluster-service read models (projections of event_store, rebuilt by --rebuild-projections).
-- event_store itself is V1, shipped by the event-store library (db/event-store).

-- One row per cluster: what GET /clusters/k8s reads. Every column is derived from the cluster's events.
CREATE TABLE cluster (
    id                 TEXT         PRIMARY KEY,
    account_id         TEXT         NOT NULL,
    name               TEXT         NOT NULL,
    region             TEXT         NOT NULL,
    kubernetes_version TEXT         NOT NULL,
    status             TEXT         NOT NULL,
    -- canonical JSON array of {name, size, count, joined}
    node_pools         TEXT         NOT NULL,
    node_count         INTEGER      NOT NULL DEFAULT 0,
    nodes_pending      INTEGER      NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    version            INTEGER      NOT NULL
);
CREATE INDEX cluster_account_listing ON cluster (account_id, created_at DESC, id DESC);
-- the node joiner's work: clusters with nodes still to join
CREATE INDEX cluster_nodes_pending ON cluster (updated_at) WHERE nodes_pending > 0;

-- One row per deployment (deployment.started, then succeeded/failed).
CREATE TABLE deployment (
    id                 TEXT         PRIMARY KEY,
    cluster_id         TEXT         NOT NULL REFERENCES cluster (id),
    account_id         TEXT         NOT NULL,
    image              TEXT         NOT NULL,
    replicas           INTEGER      NOT NULL,
    status             TEXT         NOT NULL,
    reason             TEXT,
    message            TEXT,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL
);
CREATE INDEX deployment_cluster_listing ON deployment (cluster_id, created_at DESC, id DESC);
-- the deployment simulator's work: deployments still running
CREATE INDEX deployment_pending ON deployment (created_at) WHERE status = 'pending';
