-- webhook-service robustness: endpoint change tracking (so every replica's index sees another replica's
-- change before matching the events that follow it), parked outcomes (results the database refused), and
-- the indexes the retention job and the queue-depth gauges read instead of scanning.

-- One counter, bumped in the transaction of every endpoint change that matters to matching or signing.
-- Its row lock orders the changes: a version is visible only after every smaller one is committed.
CREATE TABLE webhook_endpoint_version (
    id       BOOLEAN  PRIMARY KEY DEFAULT TRUE CHECK (id),
    version  BIGINT   NOT NULL
);
INSERT INTO webhook_endpoint_version (id, version) VALUES (TRUE, 0);

-- the counter value of the endpoint's last change (index readers reload rows with row_version > theirs)
ALTER TABLE webhook_endpoint ADD COLUMN row_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX webhook_endpoint_row_version ON webhook_endpoint (row_version);

CREATE FUNCTION webhook_endpoint_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    UPDATE webhook_endpoint_version SET version = version + 1 RETURNING version INTO v;
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('webhook_endpoint_changed', OLD.id);
        RETURN OLD;
    END IF;
    NEW.row_version := v;
    PERFORM pg_notify('webhook_endpoint_changed', NEW.id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER webhook_endpoint_inserted BEFORE INSERT ON webhook_endpoint
    FOR EACH ROW EXECUTE FUNCTION webhook_endpoint_changed();
-- only changes that the index holds (not the failure streak the result writer keeps updating)
CREATE TRIGGER webhook_endpoint_updated BEFORE UPDATE ON webhook_endpoint
    FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.url IS DISTINCT FROM NEW.url
        OR OLD.event_types IS DISTINCT FROM NEW.event_types OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.secret_enc IS DISTINCT FROM NEW.secret_enc OR OLD.previous_secret_enc IS DISTINCT FROM NEW.previous_secret_enc
        OR OLD.previous_secret_until IS DISTINCT FROM NEW.previous_secret_until)
    EXECUTE FUNCTION webhook_endpoint_changed();
CREATE TRIGGER webhook_endpoint_deleted AFTER DELETE ON webhook_endpoint
    FOR EACH ROW EXECUTE FUNCTION webhook_endpoint_changed();

-- An attempt outcome the database refused (a data error in one row of a result batch), kept for operators.
-- resolution: recorded_without_text = written again without its free-text fields (excerpt, error);
-- dead_lettered = could not be written at all, the delivery was moved to the dead-letter queue instead.
CREATE TABLE webhook_parked_outcome (
    id           BIGINT       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  BIGINT       NOT NULL,
    endpoint_id  TEXT         NOT NULL,
    status       TEXT         NOT NULL,
    status_code  INT,
    error        TEXT         NOT NULL,
    resolution   TEXT         NOT NULL CHECK (resolution IN ('recorded_without_text', 'dead_lettered')),
    parked_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX webhook_parked_outcome_parked ON webhook_parked_outcome (parked_at);

-- retention: finished deliveries by age, events by age, published outbox rows by age
CREATE INDEX webhook_delivery_finished ON webhook_delivery (finished_at) WHERE status IN ('delivered', 'dead');
CREATE INDEX webhook_event_created ON webhook_event (created_at);
CREATE INDEX webhook_outbox_published ON webhook_outbox (published_at) WHERE published_at IS NOT NULL;
