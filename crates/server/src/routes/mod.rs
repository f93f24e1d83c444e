//! One router per resource, merged in `crate::app`.

pub mod institutions;
pub mod static_files;
