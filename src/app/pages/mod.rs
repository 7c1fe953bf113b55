//! One module per screen.

pub mod accessibility;
pub mod documentation;
pub mod errors;
pub mod home;
pub mod legal;
