//! The header record: what a trace holds, readable without decoding its chunks.

use crate::CommandList;
use serde::{Deserialize, Serialize};

/// The first record of a trace file.
///
/// [`encode_into`](super::encode_into) writes `frames`, `commands`, `chunks` and
/// `payload_bytes` from the list it encodes; the other fields are written as given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceHeader {
    /// The program that wrote the trace, e.g. "gltape 0.1.0".
    pub generator: String,
    /// The OpenGL version the commands target, `(major, minor)`.
    pub gl_version: (u8, u8),
    /// Number of [`EndFrame`](crate::command::Command::EndFrame) markers.
    pub frames: u32,
    /// A free-form label (a scene name, a test name).
    pub label: String,
    /// Number of commands in all chunks.
    pub commands: u64,
    /// Number of chunk records after the header.
    pub chunks: u32,
    /// Payload bytes in all chunks (whole 64-byte blocks), what the decoded arena holds.
    pub payload_bytes: u64,
    /// SHA-256 of each readback in readback id order; empty when unknown.
    pub readback_digests: Vec<[u8; 32]>,
    /// What the program that made the trace did and the trace lacks, one line each (a
    /// capture of a ModernGL program lists the calls it could not record, with where they
    /// were first made and how often); empty for a complete trace (version 4 on).
    pub incomplete: Vec<String>,
}

impl TraceHeader {
    /// A header for `list` written by this gltape for OpenGL 4.5 (`chunks` is filled in by
    /// the encoder).
    pub fn new(list: &CommandList, label: &str, readback_digests: Vec<[u8; 32]>) -> Self {
        TraceHeader {
            generator: GENERATOR.to_owned(),
            gl_version: (4, 5),
            frames: list.frames(),
            label: label.to_owned(),
            commands: list.len() as u64,
            chunks: 0,
            payload_bytes: list.payload_bytes().len() as u64,
            readback_digests,
            incomplete: Vec::new(),
        }
    }

    /// Whether the trace lacks something its program did ([`Self::incomplete`] is not empty).
    pub fn is_incomplete(&self) -> bool {
        !self.incomplete.is_empty()
    }
}

/// "gltape" and the crate version.
const GENERATOR: &str = concat!("gltape ", env!("CARGO_PKG_VERSION"));

/// [`TraceHeader`] as read from version 4 on: strings borrowed from the file (see
/// [`super::chunk`]).
#[derive(Deserialize)]
pub(super) struct HeaderIn<'a> {
    #[serde(borrow)]
    v3: HeaderInV3<'a>,
    #[serde(borrow)]
    incomplete: Vec<&'a str>,
}

/// [`TraceHeader`] as versions 1 to 3 wrote it: without `incomplete`.
#[derive(Deserialize)]
pub(super) struct HeaderInV3<'a> {
    generator: &'a str,
    gl_version: (u8, u8),
    frames: u32,
    label: &'a str,
    commands: u64,
    chunks: u32,
    payload_bytes: u64,
    readback_digests: Vec<[u8; 32]>,
}

impl From<HeaderIn<'_>> for TraceHeader {
    fn from(h: HeaderIn<'_>) -> Self {
        TraceHeader {
            incomplete: h.incomplete.into_iter().map(str::to_owned).collect(),
            ..h.v3.into()
        }
    }
}

impl From<HeaderInV3<'_>> for TraceHeader {
    fn from(h: HeaderInV3<'_>) -> Self {
        TraceHeader {
            generator: h.generator.to_owned(),
            gl_version: h.gl_version,
            frames: h.frames,
            label: h.label.to_owned(),
            commands: h.commands,
            chunks: h.chunks,
            payload_bytes: h.payload_bytes,
            readback_digests: h.readback_digests,
            incomplete: Vec::new(),
        }
    }
}
