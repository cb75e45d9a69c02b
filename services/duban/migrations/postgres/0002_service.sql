-- The service's own tables (PostgreSQL): bearer tokens and the read models with their
-- checkpoints. Tokens are stored only as a SHA-256 hash of the secret.
CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('OFFICE', 'DEPARTMENT', 'AUDITOR')),
    department_id TEXT,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ
);

-- One document per (projection, stream): the state of one aggregate as JSON, and the
-- global position of the last event folded into it.
CREATE TABLE read_models (
    name     TEXT   NOT NULL,
    key      TEXT   NOT NULL,
    position BIGINT NOT NULL,
    doc      TEXT   NOT NULL,
    PRIMARY KEY (name, key)
);

-- The position each projection has folded in, written in the same transaction as its
-- documents.
CREATE TABLE projection_checkpoints (
    name     TEXT   PRIMARY KEY,
    position BIGINT NOT NULL
);
