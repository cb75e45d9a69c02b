-- The service's own tables (SQLite): bearer tokens and the read models with their
-- checkpoints. Tokens are stored only as a SHA-256 hash of the secret.
CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('OFFICE', 'DEPARTMENT', 'AUDITOR')),
    department_id TEXT,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);

-- One document per (projection, stream): the state of one aggregate as JSON, and the
-- global position of the last event folded into it.
CREATE TABLE read_models (
    name     TEXT    NOT NULL,
    key      TEXT    NOT NULL,
    position INTEGER NOT NULL,
    doc      TEXT    NOT NULL,
    PRIMARY KEY (name, key)
) WITHOUT ROWID;

-- The position each projection has folded in, written in the same transaction as its
-- documents.
CREATE TABLE projection_checkpoints (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL
) WITHOUT ROWID;
