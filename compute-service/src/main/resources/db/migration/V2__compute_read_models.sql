-- compute-service read models (projections of event_store, rebuilt by --rebuild-projections) and the
-- backup work queue. event_store itself is V1, shipped by the event-store library (db/event-store).

-- One row per server: what GET /servers reads. Every column is derived from the server's events.
CREATE TABLE server (
    id               TEXT         PRIMARY KEY,
    account_id       TEXT         NOT NULL,
    name             TEXT         NOT NULL,
    region           TEXT         NOT NULL,
    plan             TEXT         NOT NULL,
    image            TEXT         NOT NULL,
    status           TEXT         NOT NULL,
    ip               TEXT,
    firewall_id      TEXT,
    firewall_rules   TEXT,
    threats_detected INTEGER      NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    version          INTEGER      NOT NULL
);
CREATE INDEX server_account_listing ON server (account_id, created_at DESC, id DESC);
CREATE INDEX server_provisioning ON server (created_at) WHERE status = 'provisioning';

-- Completed backups (from backup.completed events).
CREATE TABLE backup (
    id               TEXT         PRIMARY KEY,
    server_id        TEXT         NOT NULL,
    account_id       TEXT         NOT NULL,
    size_gb          INTEGER      NOT NULL,
    duration_seconds INTEGER      NOT NULL,
    completed_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX backup_server ON backup (server_id, completed_at DESC);

-- Requested backups still running (work queue of the simulated backup system, not a projection: the
-- request is the command; its completion is recorded as backup.completed and the row is deleted).
CREATE TABLE backup_request (
    id               TEXT         PRIMARY KEY,
    server_id        TEXT         NOT NULL,
    account_id       TEXT         NOT NULL,
    requested_at     TIMESTAMPTZ  NOT NULL,
    due_at           TIMESTAMPTZ  NOT NULL
);
CREATE INDEX backup_request_due ON backup_request (due_at);
