//! Pyrite's Python VM. `no_std` + `alloc`: everything outside (console, time,
//! hardware) comes through [`port::Port`].
#![no_std]
// Where the toolchain allows it (the Zephyr module's builds of `core`
// already need nightly features), the hot paths are compiled for speed
// inside a build for size: see `hot` below.
#![cfg_attr(pyrite_optimize_attr, feature(optimize_attribute))]

extern crate alloc;

pub mod bytecode;
pub mod compile;
pub mod error;
pub mod features;
#[cfg(feature = "foreign")]
pub mod foreign;
pub mod frozen;
pub mod heap;
pub mod modules;
#[cfg(feature = "mpy")]
pub mod mpy;
pub mod objects;
pub mod port;
pub mod qstr;
pub mod repl;
pub mod runtime;
pub mod value;
pub mod vm;

pub use error::PyErr;
pub use port::Port;
pub use value::Value;
pub use vm::Vm;
