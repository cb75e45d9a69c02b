-- Notification delivery (see docs/notifications.md). The endpoints themselves are
-- event-sourced (stream `endpoint-<uuid>`); these tables hold what the log must not:
-- signing secrets, and each endpoint's place in the log with its deliveries.

-- The signing secret of an endpoint. Never returned after it was shown once.
CREATE TABLE notify_secrets (
    endpoint_id TEXT PRIMARY KEY,
    secret      TEXT NOT NULL
);

-- Every endpoint registered, written before its registration is appended (a row
-- whose stream holds no registration is ignored): the last global position
-- delivered or skipped, whether the endpoint is failing (a delivery went past the
-- give-up limit), and the lease that lets one server at a time deliver to it.
CREATE TABLE notify_checkpoints (
    endpoint_id  TEXT PRIMARY KEY,
    position     BIGINT NOT NULL,
    failing      INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  BIGINT NOT NULL DEFAULT 0
);
