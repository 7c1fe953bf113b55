//! Reusable pieces of forms and pages, shared by several roles' pages.

pub mod combobox;
pub mod commune_field;
pub mod flash;
pub mod form;
pub mod html;
pub mod load_error;
pub mod map;
pub mod pager;
pub mod tabs;
