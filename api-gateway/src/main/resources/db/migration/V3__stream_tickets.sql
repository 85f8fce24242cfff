-- Stream tickets (POST /v2/events/stream/tickets): single-use, short-lived credentials for opening the live
-- event stream from a browser, which cannot set headers on a WebSocket. Only the SHA-256 of a ticket is
-- stored (like api_key). A ticket is bound to the account, the scopes and the credential it was issued from:
-- an API key (api_key_id), or an OIDC access token (its subject and expiry; the ticket expires with it).
CREATE TABLE stream_ticket (
    ticket_hash           TEXT         PRIMARY KEY,
    account_id            TEXT         NOT NULL REFERENCES account (id),
    -- space-separated scopes: read, write, admin
    scopes                TEXT         NOT NULL,
    api_key_id            TEXT         REFERENCES api_key (id),
    oidc_subject          TEXT,
    credential_expires_at TIMESTAMPTZ,
    created_at            TIMESTAMPTZ  NOT NULL,
    expires_at            TIMESTAMPTZ  NOT NULL,
    -- set once, atomically, by the one request that redeems the ticket
    used_at               TIMESTAMPTZ,
    CHECK ((api_key_id IS NULL) <> (oidc_subject IS NULL))
);

CREATE INDEX stream_ticket_expiry ON stream_ticket (expires_at);
