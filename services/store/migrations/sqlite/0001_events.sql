-- The event log, its head and the handled-commands table (SQLite).
--
-- `position` is the global position, assigned by the store inside a
-- `BEGIN IMMEDIATE` transaction as event_head.position + 1, 2, ...; the database
-- write lock serialises writers across processes, so positions are contiguous and
-- become visible in order. It is the rowid alias (INTEGER PRIMARY KEY).
CREATE TABLE events (
    position       INTEGER PRIMARY KEY CHECK (position > 0),
    stream_id      TEXT    NOT NULL,
    stream_type    TEXT    NOT NULL,
    stream_version INTEGER NOT NULL CHECK (stream_version > 0),
    event_id       TEXT    NOT NULL UNIQUE,
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    payload        TEXT    NOT NULL,  -- canonical JSON (sorted keys)
    metadata       TEXT    NOT NULL,  -- canonical JSON: actor, role, department, command/correlation/causation ids
    recorded_at    TEXT    NOT NULL,  -- RFC 3339, UTC, microseconds: 2024-05-01T08:00:00.000000Z (sorts as text)
    prev_hash      TEXT    NOT NULL,  -- hash of the previous event of this stream (64 zeros for version 1)
    hash           TEXT    NOT NULL,  -- sha256 hex over prev_hash and the canonical bytes of this event
    UNIQUE (stream_id, stream_version)
);

-- One row: the last assigned position. Updated in every appending transaction.
CREATE TABLE event_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
);
INSERT INTO event_head (id, position) VALUES (1, 0);

-- Handled command ids, written in the same transaction as their events, so a repeated
-- command is answered with the events of the first append.
CREATE TABLE commands (
    command_id     TEXT    PRIMARY KEY,
    first_position INTEGER NOT NULL,
    event_count    INTEGER NOT NULL,
    recorded_at    TEXT    NOT NULL
) WITHOUT ROWID;
