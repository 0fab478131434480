//! Limits on GLSL sources, checked before GL sees them.
//!
//! The GL driver compiles a shader on the calling thread's stack, and its compiler recurses
//! once per level of an expression tree and once per nested statement; the preprocessor
//! expands macros without a bound. A short source can therefore overflow the stack (a
//! 315-byte chain of `#define Xn Xm+Xm` expands to 8,192 terms) or exhaust memory. This module
//! scans a source in linear time, expanding macros itself under a token budget, and rejects
//! what is over [`ShaderLimits::DEFAULT`]. The limits are measured against Mesa's llvmpipe
//! (see docs/hardening.md): what passes compiles within a 2 MiB thread stack with a margin.
//!
//! The scan is an over-approximation, never an under-approximation: conditional groups
//! (`#if`/`#else`) are all treated as live, and a macro defined in several places expands to
//! all its definitions at once. It never recurses deeper than [`ShaderLimits::macro_depth`]
//! and works in time and memory proportional to the source plus the expansion budget.

use super::ValidationError;
use std::collections::HashMap;
use std::rc::Rc;

/// The limits a shader source must keep (one place for every default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShaderLimits {
    /// Bytes of source per stage.
    pub source_bytes: u64,
    /// Tokens produced while macros are expanded, counting intermediate copies of macro
    /// arguments, plus one per macro invocation.
    pub expanded_tokens: u64,
    /// Macro invocations nested inside macro arguments.
    pub macro_depth: usize,
    /// Operator tokens in one statement after expansion (a bound on its expression depth).
    pub statement_operators: u64,
    /// Blocks and control statements (`if`, `for`, `while`, `do`, `switch`) nested in each
    /// other, counting an `else if` chain as nested.
    pub nesting: u64,
}

impl ShaderLimits {
    /// The limits gltape applies to every program.
    pub const DEFAULT: ShaderLimits = ShaderLimits {
        source_bytes: 1 << 20,
        expanded_tokens: 1 << 20,
        macro_depth: 64,
        statement_operators: 1024,
        nesting: 256,
    };
}

impl Default for ShaderLimits {
    fn default() -> Self {
        ShaderLimits::DEFAULT
    }
}

/// Which limit a source exceeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShaderLimit {
    /// [`ShaderLimits::expanded_tokens`].
    ExpandedTokens,
    /// [`ShaderLimits::macro_depth`].
    MacroDepth,
    /// [`ShaderLimits::statement_operators`].
    StatementOperators,
    /// [`ShaderLimits::nesting`].
    Nesting,
}

impl std::fmt::Display for ShaderLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ShaderLimit::ExpandedTokens => "macro expansion produces more tokens than",
            ShaderLimit::MacroDepth => "macro invocations nest deeper than",
            ShaderLimit::StatementOperators => {
                "a statement has more operators (after macro expansion) than"
            }
            ShaderLimit::Nesting => "blocks and control statements nest deeper than",
        })
    }
}

/// Checks the source of one stage (`"vertex"`, `"fragment"`, `"geometry"`).
pub(crate) fn check_source(stage: &'static str, source: &str) -> Result<(), ValidationError> {
    check_with(stage, source, &ShaderLimits::DEFAULT)
}

fn check_with(
    stage: &'static str,
    source: &str,
    limits: &ShaderLimits,
) -> Result<(), ValidationError> {
    let bytes = source.len() as u64;
    if bytes > limits.source_bytes {
        return Err(ValidationError::ShaderSourceSize {
            stage,
            bytes,
            limit: limits.source_bytes,
        });
    }
    Scanner::new(limits).run(source).map_err(|(limit, line)| {
        let value = match limit {
            ShaderLimit::ExpandedTokens => limits.expanded_tokens,
            ShaderLimit::MacroDepth => limits.macro_depth as u64,
            ShaderLimit::StatementOperators => limits.statement_operators,
            ShaderLimit::Nesting => limits.nesting,
        };
        ValidationError::ShaderLimit {
            stage,
            line,
            limit,
            value,
        }
    })
}

/// A preprocessing token: a word (identifier or number, interned) or one punctuation byte.
/// Multi-byte operators are two tokens, which only over-counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Word(u32),
    Punct(u8),
    /// `##` in a macro body.
    Paste,
    /// Parameter `n` in a function-like macro body.
    Param(u16),
    /// The end of a source line inside text (for error lines only).
    Line,
}

type Fail = (ShaderLimit, u32);

/// One definition of a macro.
#[derive(Debug)]
struct Macro {
    /// `None` for an object-like macro.
    params: Option<usize>,
    body: Rc<[Tok]>,
}

/// Tokens waiting to be rescanned; `macro_name` is disabled while the frame is live.
struct Frame {
    toks: Rc<[Tok]>,
    pos: usize,
    macro_name: Option<u32>,
}

/// Interned words; a few are keywords the metrics need.
struct Words {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Words {
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(word.to_owned(), id);
        self.names.push(word.to_owned());
        id
    }

    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

// Keyword ids, interned first in this order.
const KW_IF: u32 = 0;
const KW_FOR: u32 = 1;
const KW_WHILE: u32 = 2;
const KW_DO: u32 = 3;
const KW_SWITCH: u32 = 4;
const KW_ELSE: u32 = 5;
const KW_RETURN: u32 = 6;
const KW_DEFINED: u32 = 7;
const KEYWORDS: [&str; 8] = [
    "if", "for", "while", "do", "switch", "else", "return", "defined",
];

/// What the driver's recursion depth depends on, tracked over the expanded token stream.
#[derive(Default)]
struct Metrics {
    /// Operators in the current statement.
    operators: u64,
    /// Open parentheses and brackets: true for a call's or constructor's argument list.
    parens: Vec<bool>,
    /// Control keywords pending at each enclosing brace level.
    levels: Vec<u64>,
    /// Sum of `levels`.
    outer: u64,
    /// Control keywords pending at this level.
    chain: u64,
    /// A statement or block just ended: the chain continues only through `else`.
    ended: bool,
    /// The previous token.
    previous: Option<Tok>,
}

impl Metrics {
    fn nesting(&self) -> u64 {
        self.levels.len() as u64 + self.outer + self.chain
    }

    fn token(&mut self, tok: Tok, limits: &ShaderLimits) -> Result<(), ShaderLimit> {
        if self.ended && tok != Tok::Word(KW_ELSE) {
            self.chain = 0;
        }
        self.ended = false;
        let previous = self.previous.replace(tok);
        match tok {
            Tok::Word(KW_IF | KW_FOR | KW_WHILE | KW_DO | KW_SWITCH) => self.chain += 1,
            Tok::Word(_) | Tok::Param(_) | Tok::Paste | Tok::Line => {}
            Tok::Punct(b';') => {
                self.operators = 0;
                if self.parens.is_empty() {
                    self.ended = true;
                }
            }
            Tok::Punct(b'{') => {
                self.operators = 0;
                self.outer += self.chain;
                self.levels.push(self.chain);
                self.chain = 0;
                self.parens.clear();
            }
            Tok::Punct(b'}') => {
                self.operators = 0;
                self.chain = self.levels.pop().unwrap_or(0);
                self.outer = self.outer.saturating_sub(self.chain);
                self.parens.clear();
                self.ended = true;
            }
            Tok::Punct(b')' | b']') => {
                self.parens.pop();
            }
            Tok::Punct(b',') => {
                if !self.parens.last().copied().unwrap_or(false) {
                    self.operators += 1;
                }
            }
            Tok::Punct(byte) => {
                if byte == b'(' || byte == b'[' {
                    // A call's or constructor's `(` follows a name (not a keyword that
                    // takes a condition) or the `]` of an array type.
                    let call = byte == b'('
                        && match previous {
                            Some(Tok::Word(w)) => w > KW_RETURN,
                            Some(Tok::Punct(b']')) => true,
                            _ => false,
                        };
                    self.parens.push(call);
                }
                self.operators += 1;
            }
        }
        if self.operators > limits.statement_operators {
            return Err(ShaderLimit::StatementOperators);
        }
        if self.nesting() > limits.nesting {
            return Err(ShaderLimit::Nesting);
        }
        Ok(())
    }
}

/// A token of the source text, or the end of a line outside comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lexed {
    Tok(Tok),
    Newline,
    /// A line that ends inside a comment or by a continuation: it does not end a directive.
    InnerLine,
}

struct Scanner<'l> {
    limits: &'l ShaderLimits,
    words: Words,
    macros: HashMap<u32, Vec<Macro>>,
    /// Work done by expansion so far.
    work: u64,
    /// Depth of nested argument pre-expansion.
    depth: usize,
    /// The source line being expanded.
    line: u32,
    metrics: Metrics,
}

impl<'l> Scanner<'l> {
    fn new(limits: &'l ShaderLimits) -> Self {
        let mut words = Words {
            ids: HashMap::new(),
            names: Vec::new(),
        };
        for keyword in KEYWORDS {
            words.intern(keyword);
        }
        Scanner {
            limits,
            words,
            macros: HashMap::new(),
            work: 0,
            depth: 0,
            line: 1,
            metrics: Metrics::default(),
        }
    }

    /// Scans `source`; on failure, the limit exceeded and the (1-based) line.
    fn run(mut self, source: &str) -> Result<(), Fail> {
        let lexed = lex(source, &mut self.words);
        let mut line = 1u32;
        let mut at_line_start = true;
        let mut text: Vec<Tok> = Vec::new();
        let mut text_line = 1u32;
        let mut iter = lexed.into_iter();
        while let Some(item) = iter.next() {
            match item {
                Lexed::Newline | Lexed::InnerLine => {
                    line += 1;
                    at_line_start |= item == Lexed::Newline;
                    text.push(Tok::Line);
                }
                Lexed::Tok(Tok::Punct(b'#')) if at_line_start => {
                    self.flush(&mut text, text_line)?;
                    let mut directive = Vec::new();
                    let mut inner_lines = 0;
                    for item in iter.by_ref() {
                        match item {
                            Lexed::Newline => break,
                            Lexed::InnerLine => inner_lines += 1,
                            Lexed::Tok(tok) => directive.push(tok),
                        }
                    }
                    self.line = line;
                    self.directive(&directive).map_err(|l| (l, line))?;
                    line += 1 + inner_lines;
                    text_line = line;
                }
                Lexed::Tok(tok) => {
                    at_line_start = false;
                    text.push(tok);
                }
            }
        }
        self.flush(&mut text, text_line)
    }

    /// Expands and measures a run of text between directives.
    fn flush(&mut self, text: &mut Vec<Tok>, line: u32) -> Result<(), Fail> {
        if text.iter().all(|t| *t == Tok::Line) {
            text.clear();
            return Ok(());
        }
        let toks: Rc<[Tok]> = std::mem::take(text).into();
        self.line = line;
        let mut out = |scanner: &mut Scanner<'_>, tok: Tok| {
            let limits = scanner.limits;
            scanner.metrics.token(tok, limits)
        };
        self.expand(toks, &mut out)
            .map_err(|limit| (limit, self.line))
    }

    fn directive(&mut self, toks: &[Tok]) -> Result<(), ShaderLimit> {
        let Some(Tok::Word(name)) = toks.first() else {
            return Ok(());
        };
        let rest = toks.get(1..).unwrap_or(&[]);
        let rest = rest.strip_prefix(&[Tok::Punct(b' ')]).unwrap_or(rest);
        match self.words.name(*name) {
            "define" => self.define(rest),
            "undef" => {
                // Conditional groups are all treated as live, so an #undef that may not run
                // must not remove a definition: keep every definition seen (over-counts).
                Ok(())
            }
            "if" | "elif" | "line" => {
                // The driver expands macros here too: spend the budget, measure nothing.
                let mut out = |_: &mut Scanner<'_>, _: Tok| Ok(());
                self.expand(rest.into(), &mut out)
            }
            _ => Ok(()),
        }
    }

    fn define(&mut self, toks: &[Tok]) -> Result<(), ShaderLimit> {
        let Some(Tok::Word(name)) = toks.first() else {
            return Ok(());
        };
        let mut rest = toks.get(1..).unwrap_or(&[]);
        let mut params: Option<Vec<u32>> = None;
        // A function-like macro has its `(` right after the name; the lexer marks a space
        // between them by a `Punct(b' ')`.
        if rest.first() == Some(&Tok::Punct(b'(')) {
            let mut list = Vec::new();
            let mut end = rest.len();
            for (i, tok) in rest.iter().enumerate().skip(1) {
                match tok {
                    Tok::Punct(b')') => {
                        end = i + 1;
                        break;
                    }
                    Tok::Word(w) => list.push(*w),
                    _ => {}
                }
            }
            params = Some(list);
            rest = rest.get(end..).unwrap_or(&[]);
        }
        let rest: Vec<Tok> = rest
            .iter()
            .copied()
            .filter(|t| *t != Tok::Punct(b' '))
            .collect();
        let mut body = Vec::with_capacity(rest.len());
        let mut i = 0;
        while let Some(&tok) = rest.get(i) {
            if tok == Tok::Punct(b'#') && rest.get(i + 1) == Some(&Tok::Punct(b'#')) {
                body.push(Tok::Paste);
                i += 2;
                continue;
            }
            let param = match (tok, &params) {
                (Tok::Word(w), Some(list)) => list.iter().position(|p| *p == w),
                _ => None,
            };
            body.push(match param {
                Some(index) => Tok::Param(u16::try_from(index).unwrap_or(u16::MAX)),
                None => tok,
            });
            i += 1;
        }
        self.spend(body.len() as u64)?;
        self.macros.entry(*name).or_default().push(Macro {
            params: params.map(|p| p.len()),
            body: body.into(),
        });
        Ok(())
    }

    fn spend(&mut self, tokens: u64) -> Result<(), ShaderLimit> {
        self.work = self.work.saturating_add(tokens);
        if self.work > self.limits.expanded_tokens {
            Err(ShaderLimit::ExpandedTokens)
        } else {
            Ok(())
        }
    }

    /// Fully expands `toks`, handing each resulting token to `out`. Recurses only to
    /// pre-expand macro arguments, at most `macro_depth` levels.
    fn expand(
        &mut self,
        toks: Rc<[Tok]>,
        out: &mut dyn FnMut(&mut Scanner<'l>, Tok) -> Result<(), ShaderLimit>,
    ) -> Result<(), ShaderLimit> {
        let mut frames = vec![Frame {
            toks,
            pos: 0,
            macro_name: None,
        }];
        while let Some(tok) = next(&mut frames) {
            let Tok::Word(name) = tok else {
                match tok {
                    Tok::Line => self.line += 1,
                    Tok::Punct(b' ') | Tok::Paste | Tok::Param(_) => {}
                    _ => {
                        self.spend(1)?;
                        out(self, tok)?;
                    }
                }
                continue;
            };
            self.spend(1)?;
            let (function_like, object_like) =
                self.macros.get(&name).map_or((false, false), |defs| {
                    (
                        defs.iter().any(|m| m.params.is_some()),
                        defs.iter().any(|m| m.params.is_none()),
                    )
                });
            let invoked = function_like && peek(&frames) == Some(Tok::Punct(b'('));
            let disabled = frames.iter().any(|f| f.macro_name == Some(name));
            if disabled || !(object_like || invoked) || name == KW_DEFINED {
                out(self, tok)?;
                continue;
            }
            if frames.len() > self.limits.macro_depth {
                return Err(ShaderLimit::MacroDepth);
            }
            let args = if invoked {
                Some(self.arguments(&mut frames)?)
            } else {
                None
            };
            let definitions: Vec<(Option<usize>, Rc<[Tok]>)> = self
                .macros
                .get(&name)
                .map(|defs| defs.iter().map(|m| (m.params, m.body.clone())).collect())
                .unwrap_or_default();
            let mut replacement: Vec<Tok> = Vec::new();
            let mut expanded: Vec<Option<Rc<[Tok]>>> = Vec::new();
            let no_args: Vec<Vec<Tok>> = Vec::new();
            for (params, body) in definitions {
                match (params, &args) {
                    (None, _) => {
                        self.substitute(&body, &no_args, &mut expanded, &mut replacement)?
                    }
                    (Some(_), Some(args)) => {
                        self.substitute(&body, args, &mut expanded, &mut replacement)?;
                    }
                    (Some(_), None) => replacement.push(tok),
                }
            }
            if let (true, Some(args)) = (object_like, &args) {
                // An object-like definition leaves the argument list in place.
                replacement.push(Tok::Punct(b'('));
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        replacement.push(Tok::Punct(b','));
                    }
                    self.spend(arg.len() as u64 + 1)?;
                    replacement.extend(arg.iter().copied());
                }
                replacement.push(Tok::Punct(b')'));
            }
            frames.push(Frame {
                toks: replacement.into(),
                pos: 0,
                macro_name: Some(name),
            });
        }
        Ok(())
    }

    /// Collects the arguments of an invocation whose `(` is next.
    fn arguments(&mut self, frames: &mut Vec<Frame>) -> Result<Vec<Vec<Tok>>, ShaderLimit> {
        while let Some(tok) = next(frames) {
            match tok {
                Tok::Line => self.line += 1,
                Tok::Punct(b'(') => break,
                _ => {}
            }
        }
        let mut args = vec![Vec::new()];
        let mut depth = 0usize;
        while let Some(tok) = next(frames) {
            self.spend(1)?;
            match tok {
                Tok::Line => {
                    self.line += 1;
                    continue;
                }
                Tok::Punct(b' ') => continue,
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') if depth == 0 => return Ok(args),
                Tok::Punct(b')') => depth -= 1,
                Tok::Punct(b',') if depth == 0 => {
                    args.push(Vec::new());
                    continue;
                }
                _ => {}
            }
            if let Some(arg) = args.last_mut() {
                arg.push(tok);
            }
        }
        // An unterminated argument list: the driver reports an error; count what was read.
        Ok(args)
    }

    /// Appends `body` with its parameters replaced: by the fully expanded argument, or by the
    /// raw argument next to `##` (pasting the two spellings).
    fn substitute(
        &mut self,
        body: &[Tok],
        args: &[Vec<Tok>],
        expanded: &mut Vec<Option<Rc<[Tok]>>>,
        replacement: &mut Vec<Tok>,
    ) -> Result<(), ShaderLimit> {
        expanded.resize(args.len(), None);
        let mut paste_next = false;
        for (i, &tok) in body.iter().enumerate() {
            if tok == Tok::Paste {
                paste_next = true;
                continue;
            }
            let next_is_paste = body.get(i + 1) == Some(&Tok::Paste);
            let raw = paste_next || next_is_paste;
            let piece: Rc<[Tok]> = match tok {
                Tok::Param(index) => {
                    let index = usize::from(index);
                    let arg = args.get(index).map_or(&[][..], Vec::as_slice);
                    if raw {
                        arg.into()
                    } else if let Some(Some(done)) = expanded.get(index) {
                        done.clone()
                    } else {
                        let done = self.pre_expand(arg)?;
                        if let Some(slot) = expanded.get_mut(index) {
                            *slot = Some(done.clone());
                        }
                        done
                    }
                }
                other => Rc::from([other]),
            };
            self.spend(piece.len() as u64)?;
            if paste_next {
                paste_next = false;
                if let (Some(Tok::Word(left)), Some(Tok::Word(right))) =
                    (replacement.last().copied(), piece.first().copied())
                {
                    let joined = format!("{}{}", self.words.name(left), self.words.name(right));
                    let id = self.words.intern(&joined);
                    replacement.pop();
                    replacement.push(Tok::Word(id));
                    replacement.extend(piece.iter().skip(1).copied());
                    continue;
                }
            }
            replacement.extend(piece.iter().copied());
        }
        Ok(())
    }

    fn pre_expand(&mut self, arg: &[Tok]) -> Result<Rc<[Tok]>, ShaderLimit> {
        if self.depth >= self.limits.macro_depth {
            return Err(ShaderLimit::MacroDepth);
        }
        self.depth += 1;
        let mut result = Vec::new();
        let mut out = |_: &mut Scanner<'_>, tok: Tok| {
            result.push(tok);
            Ok(())
        };
        let done = self.expand(arg.into(), &mut out);
        self.depth -= 1;
        done?;
        Ok(result.into())
    }
}

/// The next token of the innermost live frame, popping exhausted frames.
fn next(frames: &mut Vec<Frame>) -> Option<Tok> {
    loop {
        let frame = frames.last_mut()?;
        if let Some(&tok) = frame.toks.get(frame.pos) {
            frame.pos += 1;
            return Some(tok);
        }
        frames.pop();
    }
}

/// The token [`next`] would return, skipping spaces, without consuming anything.
fn peek(frames: &[Frame]) -> Option<Tok> {
    frames.iter().rev().find_map(|frame| {
        frame.toks.get(frame.pos..).and_then(|rest| {
            rest.iter()
                .copied()
                .find(|t| *t != Tok::Punct(b' ') && *t != Tok::Line)
        })
    })
}

/// Splits `source` into tokens and newlines: comments dropped, line continuations joined.
/// A space directly after an identifier is kept as `Punct(b' ')` so that `#define F (x)` can
/// be told from `#define F(x)`; every other space is dropped.
fn lex(source: &str, words: &mut Words) -> Vec<Lexed> {
    // Join `\`-newline first (the driver does this before tokenising).
    let mut joined = String::with_capacity(source.len());
    // Offsets in `joined` where a continuation was removed.
    let mut joins: Vec<usize> = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('\n') => {
                    chars.next();
                    joins.push(joined.len());
                    continue;
                }
                Some('\r') => {
                    chars.next();
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    joins.push(joined.len());
                    continue;
                }
                _ => {}
            }
        }
        joined.push(c);
    }
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut i = 0;
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut next_join = joins.iter().peekable();
    while let Some(&b) = bytes.get(i) {
        while next_join.next_if(|&&at| at <= i).is_some() {
            out.push(Lexed::InnerLine);
        }
        match b {
            b'\n' => {
                out.push(Lexed::Newline);
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while let Some(&c) = bytes.get(i) {
                    if c == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        i += 2;
                        break;
                    }
                    if c == b'\n' {
                        out.push(Lexed::InnerLine);
                    }
                    i += 1;
                }
            }
            _ if b.is_ascii_whitespace() => i += 1,
            _ if word_byte(b)
                || (b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                let start = i;
                let number = !b.is_ascii_alphabetic() && b != b'_';
                while let Some(&c) = bytes.get(i) {
                    let exponent_sign = number
                        && (c == b'+' || c == b'-')
                        && i > start
                        && matches!(bytes.get(i - 1), Some(b'e' | b'E'));
                    if word_byte(c) || (number && c == b'.') || exponent_sign {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let word = joined.get(start..i).unwrap_or("");
                out.push(Lexed::Tok(Tok::Word(words.intern(word))));
                if bytes.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
                    out.push(Lexed::Tok(Tok::Punct(b' ')));
                }
            }
            _ if b.is_ascii() => {
                out.push(Lexed::Tok(Tok::Punct(b)));
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.extend(next_join.map(|_| Lexed::InnerLine));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str) -> Result<(), ValidationError> {
        check_source("vertex", source)
    }

    fn limit_of(source: &str) -> Option<ShaderLimit> {
        match check(source) {
            Err(ValidationError::ShaderLimit { limit, .. }) => Some(limit),
            Ok(()) => None,
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn ordinary_shaders_pass() {
        let src = "#version 450 core\n#define PI 3.14159\n#define SQ(x) ((x) * (x))\n\
                   in vec2 pos; out vec4 c; // comment\n/* block\n comment */\n\
                   void main() {\n  float r = SQ(pos.x) + SQ(pos.y);\n\
                   if (r > 1.0) { c = vec4(1.0); } else if (r > 0.5) { c = vec4(0.5); } else { c = vec4(PI); }\n\
                   for (int i = 0; i < 4; i++) { r += float[](1.0, 2.0, 3.0, 4.0)[i]; }\n\
                   gl_Position = vec4(pos, 0.0, 1.0);\n}\n";
        assert_eq!(check(src), Ok(()));
    }

    #[test]
    fn nested_define_bomb_is_rejected() {
        let mut src = String::from("#version 450 core\nin float a;\n#define X0 a\n");
        for i in 1..=30 {
            src.push_str(&format!("#define X{i} X{p}+X{p}\n", p = i - 1));
        }
        src.push_str("void main() { gl_Position = vec4(X30); }\n");
        assert!(src.len() < 700);
        assert_eq!(limit_of(&src), Some(ShaderLimit::StatementOperators));
        // Balanced with parentheses it is still over the total budget.
        let mut src = String::from("#define X0 a\n");
        for i in 1..=30 {
            src.push_str(&format!("#define X{i} (X{p})*(X{p});\n", p = i - 1));
        }
        src.push_str("X30\n");
        assert_eq!(limit_of(&src), Some(ShaderLimit::ExpandedTokens));
    }

    #[test]
    fn function_like_bombs_are_counted() {
        let mut src = String::from("#define F(x) x;x\n");
        src.push_str(&"F(".repeat(40));
        src.push('a');
        src.push_str(&")".repeat(40));
        assert_eq!(limit_of(&src), Some(ShaderLimit::ExpandedTokens));
        let src = format!("#define F(x) x\n{}a{}", "F(".repeat(100), ")".repeat(100));
        assert_eq!(limit_of(&src), Some(ShaderLimit::MacroDepth));
        // Empty expansions still cost one step each.
        let mut src = String::from("#define E0\n");
        for i in 1..=40 {
            src.push_str(&format!("#define E{i} E{p} E{p}\n", p = i - 1));
        }
        src.push_str("E40\n");
        assert_eq!(limit_of(&src), Some(ShaderLimit::ExpandedTokens));
        // Pasting builds a macro's name.
        let mut src = String::from("#define CAT(a, b) a ## b\n#define X0 a\n");
        for i in 1..=30 {
            src.push_str(&format!("#define X{i} X{p}+X{p}\n", p = i - 1));
        }
        src.push_str("float f = CAT(X, 30);\n");
        assert_eq!(limit_of(&src), Some(ShaderLimit::StatementOperators));
    }

    #[test]
    fn conditional_definitions_are_all_counted() {
        let mut src = String::from("#define X0 a\n");
        for i in 1..=14 {
            src.push_str(&format!("#define X{i} X{p}+X{p}\n", p = i - 1));
        }
        src.push_str(
            "#if 1\n#define B X14\n#else\n#define B a\n#endif\n#if 0\n#undef B\n#endif\nB;\n",
        );
        assert_eq!(limit_of(&src), Some(ShaderLimit::StatementOperators));
    }

    #[test]
    fn expressions_and_nesting() {
        let terms = |n: usize| format!("float x = a{};", "+a".repeat(n - 1));
        assert_eq!(limit_of(&terms(1024)), None); // 1,023 `+` and one `=`
        assert_eq!(
            limit_of(&terms(1026)),
            Some(ShaderLimit::StatementOperators)
        );
        assert_eq!(
            limit_of(&terms(30_000)),
            Some(ShaderLimit::StatementOperators)
        );
        // Call arguments are siblings, not a chain.
        let list = format!("float x = float[](a{})[0];", ",a".repeat(5000));
        assert_eq!(limit_of(&list), None);
        let blocks = |n: usize| format!("{}x;{}", "{".repeat(n), "}".repeat(n));
        assert_eq!(limit_of(&blocks(256)), None);
        assert_eq!(limit_of(&blocks(257)), Some(ShaderLimit::Nesting));
        let ifs = format!("{}x;", "if (a) ".repeat(257));
        assert_eq!(limit_of(&ifs), Some(ShaderLimit::Nesting));
        let chain = format!("if (a) x; {} x;", "else if (a) {x;}".repeat(300));
        assert_eq!(limit_of(&chain), Some(ShaderLimit::Nesting));
        let sequential = "if (a) { x; } else { y; }\n".repeat(10_000);
        assert_eq!(limit_of(&sequential), None);
    }

    #[test]
    fn line_of_the_error() {
        let src = format!("void main() {{\n// c\n\\\nx = a{};\n}}", "+a".repeat(2000));
        match check(&src) {
            Err(ValidationError::ShaderLimit { line, stage, .. }) => {
                assert_eq!((line, stage), (4, "vertex"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hostile_text_is_linear_and_does_not_panic() {
        let mib = 1 << 20;
        for src in [
            "(".repeat(mib - 1),
            ")".repeat(mib - 1),
            "{".repeat(mib - 1),
            "}".repeat(mib - 1),
            "#define A B\n".repeat(mib / 12),
            "#define A(".repeat(mib / 11),
            "/*".repeat(mib / 2),
            "\\\n".repeat(mib / 2),
            "#".repeat(mib - 1),
            "##".repeat(mib / 2 - 1),
            "a".repeat(mib - 1),
            "é".repeat(mib / 2 - 1),
            ";".repeat(mib - 1),
        ] {
            let start = std::time::Instant::now();
            let _ = check(&src);
            assert!(start.elapsed().as_secs() < 5, "{:?}", &src[..8]);
        }
        assert!(matches!(
            check(&" ".repeat(mib + 1)),
            Err(ValidationError::ShaderSourceSize { bytes, .. }) if bytes == mib as u64 + 1
        ));
    }
}
