//! OpenGL 4.5 core contexts a renderer can own, one module per way to get one:
//!
//! - [`Backend::Egl`] (feature `egl`, `egl.rs`): a surfaceless EGL context, no window system
//!   and no GLFW; `libEGL.so.1` is loaded at run time. Its screen is an offscreen framebuffer.
//! - [`Backend::OsMesa`] and [`Backend::Window`] (feature `glfw`, `glfw.rs`): GLFW's null
//!   platform with OSMesa (headless), or an X11 window.
//!
//! [`Context`] is whichever of them a renderer owns. A headless context is the first backend
//! that works, EGL before OSMesa, unless the environment variable `GLTAPE_BACKEND` names one.

#[cfg(feature = "egl")]
mod egl;
#[cfg(feature = "glfw")]
mod glfw;

#[cfg(feature = "egl")]
pub use egl::EglContext;
#[cfg(feature = "glfw")]
pub use glfw::{ContextOptions, GlfwContext, Surface};

#[cfg(any(feature = "egl", feature = "glfw"))]
pub use headless::{Backend, ContextError, BACKEND_VARIABLE};

/// Which of gltape's contexts was made current last on each thread.
///
/// EGL (glvnd) and GLFW each keep their own record of a thread's current context, but both
/// drive Mesa's one per-thread GL state: after an OSMesa context is made current, EGL still
/// reports its context as current, and the other way round. So a context skips its backend's
/// make-current call only when both its backend and this record say it is current.
#[cfg(any(feature = "egl", feature = "glfw"))]
pub(crate) mod current {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicU64, Ordering};

    static NEXT: AtomicU64 = AtomicU64::new(1);

    thread_local! {
        static CURRENT: Cell<u64> = const { Cell::new(0) };
    }

    /// A new context's id (never 0, never reused).
    pub(crate) fn new_id() -> u64 {
        NEXT.fetch_add(1, Ordering::Relaxed)
    }

    /// Whether context `id` was made current last on this thread.
    pub(crate) fn is(id: u64) -> bool {
        CURRENT
            .try_with(Cell::get)
            .is_ok_and(|current| current == id)
    }

    /// Records that context `id` was just made current on this thread.
    pub(crate) fn set(id: u64) {
        let _ = CURRENT.try_with(|current| current.set(id));
    }
}

/// A context a renderer owns: one variant per backend built in. Without any backend feature it
/// has no values, so a renderer then never owns a context.
#[non_exhaustive]
pub enum Context {
    /// A surfaceless EGL context (feature `egl`).
    #[cfg(feature = "egl")]
    Egl(EglContext),
    /// A GLFW context: OSMesa or an X11 window (feature `glfw`).
    #[cfg(feature = "glfw")]
    Glfw(GlfwContext),
}

impl Context {
    /// Makes this context current on the calling thread.
    pub fn make_current(&self) {
        match *self {
            #[cfg(feature = "egl")]
            Context::Egl(ref context) => context.make_current(),
            #[cfg(feature = "glfw")]
            Context::Glfw(ref context) => context.make_current(),
        }
    }

    /// The screen: the GL name of the framebuffer that plays the default framebuffer
    /// (0 for GLFW's, an offscreen one for EGL) and its size in pixels.
    pub fn screen(&self) -> (u32, u32, u32) {
        match *self {
            #[cfg(feature = "egl")]
            Context::Egl(ref context) => {
                let (width, height) = context.framebuffer_size();
                (context.framebuffer(), width, height)
            }
            #[cfg(feature = "glfw")]
            Context::Glfw(ref context) => {
                let (width, height) = context.framebuffer_size();
                (0, width, height)
            }
        }
    }

    /// Presents the screen (a no-op for headless contexts).
    pub fn swap_buffers(&mut self) {
        match *self {
            #[cfg(feature = "egl")]
            Context::Egl(_) => {}
            #[cfg(feature = "glfw")]
            Context::Glfw(ref mut context) => context.swap_buffers(),
        }
    }
}

#[cfg(any(feature = "egl", feature = "glfw"))]
mod headless {
    use super::Context;
    use std::ffi::c_void;
    use std::fmt;

    /// The environment variable that picks the backend of headless contexts
    /// ([`Context::headless`], `Renderer::headless`): `egl` or `osmesa`. Unset or empty: the
    /// first that works, EGL before OSMesa.
    pub const BACKEND_VARIABLE: &str = "GLTAPE_BACKEND";

    /// Where a context comes from.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Backend {
        /// A surfaceless EGL context with an offscreen screen (feature `egl`).
        Egl,
        /// GLFW's null platform with OSMesa (feature `glfw`).
        OsMesa,
        /// A visible X11 window through GLFW (feature `glfw`; needs a display).
        Window,
    }

    impl Backend {
        /// The headless backends in the order [`Context::headless`] tries them.
        pub const HEADLESS: [Backend; 2] = [Backend::Egl, Backend::OsMesa];

        /// Its name: `egl`, `osmesa` or `window`.
        pub fn name(self) -> &'static str {
            match self {
                Backend::Egl => "egl",
                Backend::OsMesa => "osmesa",
                Backend::Window => "window",
            }
        }

        /// The backend called `name` (as [`Backend::name`] spells it).
        pub fn from_name(name: &str) -> Option<Backend> {
            [Backend::Egl, Backend::OsMesa, Backend::Window]
                .into_iter()
                .find(|backend| backend.name() == name)
        }
    }

    impl fmt::Display for Backend {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.name())
        }
    }

    /// Why a context could not be created.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    #[non_exhaustive]
    pub enum ContextError {
        /// `glfwInit` failed.
        #[error("GLFW could not initialise the {platform} platform: {message}")]
        Init {
            /// The platform asked for.
            platform: &'static str,
            /// GLFW's message.
            message: String,
        },
        /// GLFW is already running on another platform in this process.
        #[error("GLFW already runs on the {current} platform in this process; drop its contexts before asking for {requested}")]
        PlatformInUse {
            /// The platform GLFW runs on.
            current: &'static str,
            /// The platform asked for.
            requested: &'static str,
        },
        /// An X11 window was asked for, but there is no display.
        #[error("no X display (DISPLAY is unset): run under xvfb-run, or use a headless context")]
        NoDisplay,
        /// GLFW could not create the window or its OpenGL 4.5 core context.
        #[error("GLFW could not create an OpenGL 4.5 core context: {message}{hint}")]
        Create {
            /// GLFW's message.
            message: String,
            /// What to install, when the message suggests it.
            hint: &'static str,
        },
        /// The EGL backend could not create a context.
        #[error("the egl backend could not create an OpenGL 4.5 core context: {message}{hint}")]
        Egl {
            /// What failed, with EGL's error.
            message: String,
            /// What to install, when that may help.
            hint: &'static str,
        },
        /// The backend asked for is not compiled into this build.
        #[error("the {backend} backend is not built in (cargo feature `{feature}`)")]
        NotBuilt {
            /// The backend asked for.
            backend: Backend,
            /// The feature that builds it.
            feature: &'static str,
        },
        /// [`BACKEND_VARIABLE`] names no headless backend.
        #[error("{BACKEND_VARIABLE}={value:?} names no headless backend (egl or osmesa)")]
        BadBackendVariable {
            /// The variable's value.
            value: String,
        },
        /// No headless backend could create a context; each one's reason.
        #[error("no headless backend works: {}", failures(.0))]
        NoHeadless(Vec<ContextError>),
        /// A zero or oversized framebuffer size.
        #[error("invalid context size {width}x{height} (each side must be 1..=16384)")]
        BadSize {
            /// Requested width.
            width: u32,
            /// Requested height.
            height: u32,
        },
    }

    fn failures(errors: &[ContextError]) -> String {
        let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
        reasons.join("; ")
    }

    /// Refuses a zero or oversized screen before any backend is touched.
    pub(super) fn check_size(width: u32, height: u32) -> Result<(), ContextError> {
        if (1..=16384).contains(&width) && (1..=16384).contains(&height) {
            Ok(())
        } else {
            Err(ContextError::BadSize { width, height })
        }
    }

    impl Context {
        /// Width and height of the screen of `Renderer::headless`.
        pub const HEADLESS_SIDE: u32 = 64;

        /// A context of `backend` whose screen is `width` by `height` pixels, current on this
        /// thread. A window is titled "gltape".
        pub fn new(backend: Backend, width: u32, height: u32) -> Result<Context, ContextError> {
            check_size(width, height)?;
            match backend {
                #[cfg(feature = "egl")]
                Backend::Egl => super::EglContext::new(width, height).map(Context::Egl),
                #[cfg(feature = "glfw")]
                Backend::OsMesa | Backend::Window => {
                    let surface = match backend {
                        Backend::Window => super::Surface::Window,
                        _ => super::Surface::Headless,
                    };
                    let options = super::ContextOptions {
                        surface,
                        width,
                        height,
                        ..super::ContextOptions::default()
                    };
                    super::GlfwContext::new(&options).map(Context::Glfw)
                }
                #[allow(unreachable_patterns, reason = "reachable only without some features")]
                _ => Err(ContextError::NotBuilt {
                    backend,
                    feature: match backend {
                        Backend::Egl => "egl",
                        Backend::OsMesa | Backend::Window => "glfw",
                    },
                }),
            }
        }

        /// A headless context of `width` by `height` pixels: of the backend that
        /// [`BACKEND_VARIABLE`] names, or else of the first in [`Backend::HEADLESS`] that
        /// works (an error then lists every backend's reason).
        pub fn headless(width: u32, height: u32) -> Result<Context, ContextError> {
            check_size(width, height)?;
            let chosen = std::env::var(BACKEND_VARIABLE).unwrap_or_default();
            if !chosen.is_empty() {
                return match Backend::from_name(&chosen) {
                    Some(backend) if backend != Backend::Window => {
                        Context::new(backend, width, height)
                    }
                    _ => Err(ContextError::BadBackendVariable { value: chosen }),
                };
            }
            let mut errors = Vec::new();
            for backend in Backend::HEADLESS {
                match Context::new(backend, width, height) {
                    Ok(context) => return Ok(context),
                    Err(ContextError::NotBuilt { .. }) => {}
                    Err(error) => errors.push(error),
                }
            }
            Err(ContextError::NoHeadless(errors))
        }

        /// The backend this context comes from.
        pub fn backend(&self) -> Backend {
            match *self {
                #[cfg(feature = "egl")]
                Context::Egl(_) => Backend::Egl,
                #[cfg(feature = "glfw")]
                Context::Glfw(ref context) => match context.surface() {
                    super::Surface::Headless => Backend::OsMesa,
                    super::Surface::HiddenWindow | super::Surface::Window => Backend::Window,
                },
            }
        }

        /// The address of a GL function for this context (null when it has none).
        pub fn get_proc_address(&mut self, name: &str) -> *const c_void {
            match *self {
                #[cfg(feature = "egl")]
                Context::Egl(ref context) => context.get_proc_address(name),
                #[cfg(feature = "glfw")]
                Context::Glfw(ref mut context) => context.get_proc_address(name),
            }
        }
    }

    #[cfg(feature = "egl")]
    impl From<super::EglContext> for Context {
        fn from(context: super::EglContext) -> Context {
            Context::Egl(context)
        }
    }

    #[cfg(feature = "glfw")]
    impl From<super::GlfwContext> for Context {
        fn from(context: super::GlfwContext) -> Context {
            Context::Glfw(context)
        }
    }
}
