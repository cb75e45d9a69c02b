-- Deliveries of notifications (see docs/notifications.md): one row per endpoint and
-- log position that passed the endpoint's filter and scope, with its attempts and the
-- receiver's last answer. `status` is PENDING (being retried), DELIVERED (the receiver
-- answered 2xx) or FAILED (past the give-up limit; still retried, see the docs).
-- Times are Unix milliseconds.
CREATE TABLE notify_deliveries (
    endpoint_id       TEXT NOT NULL,
    position          INTEGER NOT NULL,
    event_type        TEXT NOT NULL,
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    first_attempt_at  INTEGER NOT NULL,
    last_attempt_at   INTEGER NOT NULL,
    last_status_code  INTEGER,
    last_error        TEXT,
    PRIMARY KEY (endpoint_id, position)
);

CREATE INDEX notify_deliveries_status ON notify_deliveries (status, endpoint_id, position);
