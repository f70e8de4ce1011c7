//! How operators, attribute access and calls resolve on values.

pub mod attr;
pub mod call;
pub mod format;
pub mod hash;
pub mod ops;
pub mod strformat;
