//! Reusable pieces of forms and pages.

pub mod combobox;
pub mod form;
pub mod html;
pub mod map;
