//! Shader sources that would overflow the GL compiler's stack or exhaust memory (issue 9,
//! item 2), generated here: each is rejected before GL sees it, by the recorder (nothing
//! recorded) and by list validation (so `gltape replay` answers a trace carrying one with one
//! stderr line and exit code 1). The largest source within the limits compiles on a 2 MiB
//! thread stack, which shows the limits are safe.

use gltape::command::ShaderLimit;
use gltape::trace::{self, Trace};
use gltape::{CommandList, ProgramDesc, Recorder, Renderer, ValidationError};

mod support;
use support::*;

/// The macro bomb: 13 doublings of `a` in 315 bytes expand to 8,192 terms, which
/// aborted llvmpipe on an 8 MiB stack; 30 doublings (about 450 bytes) to a billion.
fn define_bomb(levels: usize) -> String {
    let mut src = String::from("#version 450 core\nin float a;\n#define X0 a\n");
    for i in 1..=levels {
        src.push_str(&format!("#define X{i} X{p}+X{p}\n", p = i - 1));
    }
    src.push_str(&format!(
        "void main() {{ gl_Position = vec4(X{levels}); }}\n"
    ));
    src
}

fn terms(n: usize) -> String {
    format!(
        "#version 450 core\nin float a;\nvoid main() {{\n    float x = a{};\n    gl_Position = vec4(x);\n}}\n",
        "+a".repeat(n - 1)
    )
}

/// `ifs` nested `if` blocks around a statement of `calls` nested calls: the deepest shape for
/// the limits' cost (a call level costs llvmpipe the most stack, about 700 bytes).
fn nested(ifs: usize, calls: usize) -> String {
    format!(
        "#version 450 core\nin float a;\nout float o;\nvoid main() {{\n    float x = a;\n    {}x = {}a{};{}\n    o = x;\n    gl_Position = vec4(x);\n}}\n",
        "if (x > 0.5) {".repeat(ifs),
        "sin(".repeat(calls),
        ")".repeat(calls),
        "}".repeat(ifs)
    )
}

/// Records a program after a buffer and checks it is rejected with nothing recorded.
fn rejected(desc: ProgramDesc) -> ValidationError {
    let mut reference = Recorder::new();
    reference.buffer(&[1u8; 4]).unwrap();
    let before = reference.finish();
    let mut rec = Recorder::new();
    rec.buffer(&[1u8; 4]).unwrap();
    let err = rec.program(desc).unwrap_err();
    let after = rec.finish();
    assert_eq!(after.commands(), before.commands());
    assert_eq!(after.tables(), before.tables());
    assert_eq!(after.payload_bytes(), before.payload_bytes());
    err
}

fn limit(err: &ValidationError) -> (&'static str, ShaderLimit, u32) {
    match err {
        ValidationError::ShaderLimit {
            stage, limit, line, ..
        } => (stage, *limit, *line),
        other => panic!("{other}"),
    }
}

#[test]
fn macro_bombs_are_rejected_at_record_time() {
    let bomb = define_bomb(30);
    assert!(bomb.len() <= 700, "{}", bomb.len());
    let err = rejected(ProgramDesc::new(&bomb));
    assert_eq!(limit(&err), ("vertex", ShaderLimit::StatementOperators, 34));
    assert_eq!(
        err.to_string(),
        "vertex shader, line 34: a statement has more operators (after macro expansion) than 1024"
    );
    // The 450-byte size, and the smallest that crashed.
    let err = rejected(ProgramDesc::new(&define_bomb(13)));
    assert_eq!(limit(&err).1, ShaderLimit::StatementOperators);
    // A bomb hidden in the fragment stage names that stage.
    let err = rejected(ProgramDesc::new(&terms(4)).fragment(&define_bomb(20)));
    assert_eq!(limit(&err).0, "fragment");
    // Expanding to nothing (or into many statements) still spends the expansion budget.
    let mut empty = String::from("#define E0\n");
    for i in 1..=40 {
        empty.push_str(&format!("#define E{i} E{p} E{p}\n", p = i - 1));
    }
    empty.push_str("E40\nvoid main() {}\n");
    let err = rejected(ProgramDesc::new(&empty));
    assert_eq!(limit(&err).1, ShaderLimit::ExpandedTokens);
    // Nested function-like invocations crash the driver's preprocessor (7,000 deep on 2 MiB);
    // re-reading the arguments at every level spends the budget first.
    let deep = |n: usize| {
        format!(
            "#define F(x) x\nvoid main() {{ gl_Position = vec4({}0.0{}); }}\n",
            "F(".repeat(n),
            ")".repeat(n)
        )
    };
    let err = rejected(ProgramDesc::new(&deep(7000)));
    assert_eq!(limit(&err).1, ShaderLimit::ExpandedTokens);
    let err = rejected(ProgramDesc::new(&deep(100)));
    assert_eq!(limit(&err), ("vertex", ShaderLimit::MacroDepth, 2));
}

#[test]
fn long_expressions_and_deep_nesting_are_rejected() {
    let err = rejected(ProgramDesc::new(&terms(30_000)));
    assert_eq!(limit(&err), ("vertex", ShaderLimit::StatementOperators, 4));
    let err = rejected(ProgramDesc::new(&nested(0, 1024)));
    assert_eq!(limit(&err).1, ShaderLimit::StatementOperators);
    // `if (..) {` counts twice (the `if` and its block), `main`'s body once.
    let err = rejected(ProgramDesc::new(&nested(128, 1)));
    assert_eq!(limit(&err).1, ShaderLimit::Nesting);
    let blocks = format!(
        "void main() {{ {}{} }}",
        "{".repeat(10_000),
        "}".repeat(10_000)
    );
    assert_eq!(
        rejected(ProgramDesc::new(&blocks)).to_string(),
        "vertex shader, line 1: blocks and control statements nest deeper than 256"
    );
}

#[test]
fn oversized_sources_are_rejected() {
    let big = format!("{}\n{}", terms(2), "// padding\n".repeat(100_000));
    assert!(big.len() > 1 << 20);
    let err = rejected(ProgramDesc::new(&terms(2)).geometry(&big));
    assert_eq!(
        err,
        ValidationError::ShaderSourceSize {
            stage: "geometry",
            bytes: big.len() as u64,
            limit: 1 << 20
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "geometry shader: {} bytes of source exceed the limit of 1048576 bytes",
            big.len()
        )
    );
}

#[test]
fn a_trace_carrying_a_bomb_is_rejected_by_the_cli() {
    let mut rec = Recorder::new();
    rec.program(ProgramDesc::new(&terms(4))).unwrap();
    let list = rec.finish();
    let mut tables = list.tables().clone();
    tables.entries_mut::<gltape::command::ProgramDesc>()[0].vertex_shader = define_bomb(30);
    let hostile =
        CommandList::from_parts(list.commands().to_vec(), list.payload_bytes(), tables).unwrap();
    let err = hostile.validate().unwrap_err();
    assert_eq!(err.index, 0);
    assert_eq!(limit(&err.error).1, ShaderLimit::StatementOperators);

    let mut bytes = Vec::new();
    trace::encode_into(
        &Trace::new(hostile, "bomb", Vec::new()),
        &mut bytes,
        &trace::EncodeOptions::default(),
    )
    .unwrap();
    let path = corpus_dir("hostile-shaders-corpus").join("shader-bomb.gltrace");
    std::fs::write(&path, bytes).unwrap();
    let out = gltape(&["replay", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("command #0") && stderr.contains("vertex shader, line 34"),
        "{stderr}"
    );
}

#[test]
fn the_largest_sources_within_the_limits_compile_on_a_2_mib_stack() {
    // 127 nested if blocks (nesting 255 of 256) around 1,023 nested calls (1,024 operators
    // with the `=`): measured llvmpipe needs about 0.8 MiB for this, and crashes on 2 MiB at
    // 3,000 nested calls or 4,800 terms.
    let deepest = nested(127, 1023);
    let long = terms(1024);
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut rec = Recorder::new();
            rec.program(ProgramDesc::new(&deepest)).unwrap();
            rec.program(ProgramDesc::new(&long)).unwrap();
            let buf = rec.buffer(&[7u8; 4]).unwrap();
            let read = rec.read(buf, None, 0).unwrap();
            let list = rec.finish();
            let mut renderer = Renderer::headless().unwrap();
            let readbacks = renderer.replay(&list).unwrap();
            assert_eq!(readbacks.get(read), Some(&[7u8; 4][..]));
        })
        .unwrap()
        .join()
        .unwrap();
}
