-- The state of an idempotency record (domain/IdempotencyState): in_flight while the first request runs,
-- unknown when it reached the service but its answer never came back (the key stays blocked: a retry
-- could create a second resource), completed once the answer is stored.
ALTER TABLE idempotency_record ADD COLUMN state TEXT NOT NULL DEFAULT 'in_flight'
    CHECK (state IN ('in_flight', 'unknown', 'completed'));
UPDATE idempotency_record SET state = 'completed' WHERE status IS NOT NULL;
ALTER TABLE idempotency_record ALTER COLUMN state DROP DEFAULT;
