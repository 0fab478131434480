//! The generated OpenGL 4.5 core bindings (gl_generator, StructGenerator: one function table
//! per context). This is the only file that includes them.
//!
//! The table is public so that benchmarks and embedders can issue hand-written GL beside a
//! [`Renderer`](crate::Renderer) on the same context.

#![allow(
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    unused_imports,
    unsafe_op_in_unsafe_fn
)]

include!(concat!(env!("OUT_DIR"), "/gl_bindings.rs"));
