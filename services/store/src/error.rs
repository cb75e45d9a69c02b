//! The store's one error type.

/// Everything that can go wrong in the event store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The stream is not at the version the command expected; nothing was written.
    #[error("version conflict on stream {stream}: expected version {expected}, actual {actual}")]
    VersionConflict {
        /// The stream whose version differed.
        stream: String,
        /// The version the caller expected.
        expected: i64,
        /// The stream's version when the append was attempted (0 = no such stream).
        actual: i64,
    },
    /// The stream exists with another stream type; nothing was written.
    #[error("stream {stream} has type {existing}, not {requested}")]
    StreamTypeMismatch {
        /// The stream appended to.
        stream: String,
        /// The type recorded for the stream.
        existing: String,
        /// The type the append named.
        requested: String,
    },
    /// The append itself is malformed (empty ids, the same stream twice, ...).
    #[error("invalid append: {0}")]
    InvalidAppend(String),
    /// A stored row cannot be decoded (usually tampering or manual edits).
    #[error("corrupt event row at position {position}: {detail}")]
    Corrupt {
        /// Global position of the row.
        position: i64,
        /// What could not be decoded.
        detail: String,
    },
    /// An import was aimed at a store that already holds events or handled commands;
    /// nothing was written.
    #[error(
        "the target store is not empty (head at position {head}, {commands} handled \
         command(s)); import only loads into an empty store"
    )]
    NotEmpty {
        /// The target's head position.
        head: i64,
        /// Rows in the target's handled-commands table.
        commands: i64,
    },
    /// An imported log was refused (broken hash chain, gap, bad field); nothing was
    /// written.
    #[error("import refused at position {position}: {detail}; nothing was written")]
    ImportRefused {
        /// The first position where the imported log is wrong.
        position: i64,
        /// What is wrong there.
        detail: String,
    },
    /// The database URL names no supported backend.
    #[error("unsupported database url: {0}")]
    UnsupportedUrl(String),
    /// A test fault hook aborted the transaction after positions were assigned.
    #[error("append aborted by the injected fault hook")]
    InjectedFault,
    /// The database reported an error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Running the embedded migrations failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}
