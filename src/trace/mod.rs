//! Trace files: a command list saved with a header (placeholder; being written).
