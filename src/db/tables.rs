//! Table definitions. Keys and values are plain bytes or strings so that a schema migration can rewrite
//! them without depending on Rust types that change.

use redb::TableDefinition;

/// Database-wide facts, such as `schema_version`.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
