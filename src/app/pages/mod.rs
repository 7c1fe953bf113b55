//! One module per screen.

pub mod accessibility;
pub mod admin;
pub mod documentation;
pub mod errors;
pub mod home;
pub mod invitation;
pub mod legal;
pub mod login;
pub mod magistrat;
pub mod mandataire;
pub mod password;
pub mod signup;
pub mod two_factor;
