//! Generates the OpenGL 4.5 core bindings (one function table per context) into `$OUT_DIR`.

use gl_generator::{Api, Fallbacks, Profile, Registry, StructGenerator};
use std::{env, fs::File, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut file = File::create(out.join("gl_bindings.rs")).expect("OUT_DIR is writable");
    Registry::new(Api::Gl, (4, 5), Profile::Core, Fallbacks::All, [])
        .write_bindings(StructGenerator, &mut file)
        .expect("writing GL bindings");
    println!("cargo:rerun-if-changed=build.rs");
}
