//! Authentication building blocks (SPEC §4). Server only.

pub mod password;
