//! Pyrite's Zephyr port: implements the VM's `Port` over the C glue in
//! `zephyr/glue`, and exports the C API (`rust/include/pyrite.h`, made by
//! cbindgen) that the shell glue calls from the Python thread.
#![no_std]

extern crate alloc;

mod api;
/// cbindgen:ignore
#[allow(non_camel_case_types, non_upper_case_globals, dead_code, clippy::all)]
mod bindings;
#[cfg(feature = "foreign")]
mod cmodule;
#[cfg(feature = "foreign")]
mod embed;
mod events;
#[cfg(feature = "machine-i2c")]
mod i2c;
mod runtime;
#[cfg(feature = "machine-spi")]
mod spi;
#[cfg(feature = "machine-uart")]
mod uart;
mod zport;

pub use api::*;
#[cfg(feature = "foreign")]
pub use cmodule::*;
#[cfg(feature = "foreign")]
pub use embed::*;
