//! The mark of a demo database (SPEC §14): the demo accounts and their passwords, shown on /connexion.

use redb::{ReadTransaction, WriteTransaction};

use super::tables::DEMO;
use super::{decode, encode, open_or_empty, StoreError};
use crate::rules::account::DemoAccount;

const ACCOUNTS: &str = "comptes";

/// The demo accounts; `None` for a database that is not a demo.
pub fn accounts(read: &ReadTransaction) -> Result<Option<Vec<DemoAccount>>, StoreError> {
    let Some(table) = open_or_empty(read, DEMO)? else {
        return Ok(None);
    };
    table.get(ACCOUNTS)?.map(|v| decode(v.value())).transpose()
}

pub fn put_accounts(write: &WriteTransaction, accounts: &[DemoAccount]) -> Result<(), StoreError> {
    write
        .open_table(DEMO)?
        .insert(ACCOUNTS, encode(&accounts)?.as_slice())?;
    Ok(())
}
