-- The event log, its head and the handled-commands table (PostgreSQL).
--
-- `position` is the global position. Every appending transaction first runs
-- `UPDATE event_head SET position = position + n RETURNING position`; the row lock it
-- takes is held until commit, so positions are handed out, and become visible, in
-- commit order, and a rolled-back transaction leaves no gap.
CREATE TABLE events (
    position       BIGINT      PRIMARY KEY CHECK (position > 0),
    stream_id      TEXT        NOT NULL,
    stream_type    TEXT        NOT NULL,
    stream_version BIGINT      NOT NULL CHECK (stream_version > 0),
    event_id       UUID        NOT NULL UNIQUE,
    event_type     TEXT        NOT NULL,
    schema_version INTEGER     NOT NULL,
    payload        JSON        NOT NULL,  -- canonical JSON text (sorted keys), kept verbatim
    metadata       JSON        NOT NULL,  -- actor, role, department, command/correlation/causation ids
    recorded_at    TIMESTAMPTZ NOT NULL,  -- passed in by the caller (injected clock)
    prev_hash      TEXT        NOT NULL,  -- hash of the previous event of this stream (64 zeros for version 1)
    hash           TEXT        NOT NULL,  -- sha256 hex over prev_hash and the canonical bytes of this event
    UNIQUE (stream_id, stream_version)
);

-- One row: the last assigned position; its row lock serialises appends.
CREATE TABLE event_head (
    id       SMALLINT PRIMARY KEY CHECK (id = 1),
    position BIGINT   NOT NULL
);
INSERT INTO event_head (id, position) VALUES (1, 0);

-- Handled command ids, written in the same transaction as their events, so a repeated
-- command is answered with the events of the first append.
CREATE TABLE commands (
    command_id     TEXT        PRIMARY KEY,
    first_position BIGINT      NOT NULL,
    event_count    BIGINT      NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL
);
