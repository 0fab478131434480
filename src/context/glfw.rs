//! GLFW OpenGL 4.5 core contexts: headless by default, an X11 window on request.
//!
//! Headless contexts use GLFW 3.4's null platform with the OSMesa context API: Mesa renders
//! into memory (llvmpipe), no X server or GPU needed; only `libOSMesa.so` must be installable
//! at run time (Debian: `libosmesa6`). Windows use the X11 platform and need a display (for
//! example `xvfb-run`).
//!
//! GLFW is process-global and not thread-safe, so every GLFW call made here holds one
//! process-wide lock, and GLFW stays on the platform it was first initialised with until the
//! last context is dropped. GLFW reports errors through a C callback; the one installed here
//! only stores the message (a panic inside C would abort the process), and each failing call
//! returns it as a [`ContextError`].

use super::headless::check_size;
use super::{current, ContextError};
use glfw::Context as _;
use std::cell::RefCell;
use std::ffi::c_void;
use std::mem::ManuallyDrop;
use std::sync::{Mutex, MutexGuard};

/// How a context shows itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// No window and no display: GLFW's null platform with OSMesa.
    Headless,
    /// An X11 window that is created hidden.
    HiddenWindow,
    /// A visible X11 window.
    Window,
}

/// Options for [`GlfwContext::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextOptions {
    /// Headless or windowed.
    pub surface: Surface,
    /// Width of the default framebuffer in pixels.
    pub width: u32,
    /// Height of the default framebuffer in pixels.
    pub height: u32,
    /// Window title.
    pub title: String,
}

impl Default for ContextOptions {
    fn default() -> Self {
        ContextOptions {
            surface: Surface::Headless,
            width: 64,
            height: 64,
            title: "gltape".to_owned(),
        }
    }
}

/// The platform GLFW was initialised with and how many contexts use it.
struct GlfwState {
    platform: Option<glfw::Platform>,
    contexts: usize,
}

static GLFW: Mutex<GlfwState> = Mutex::new(GlfwState {
    platform: None,
    contexts: 0,
});

thread_local! {
    /// The last GLFW error raised on this thread (GLFW's error state is per thread too).
    static LAST_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// GLFW's error callback: stores the message, never panics.
fn store_error(error: glfw::Error, description: String) {
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(format!("{description} ({error:?})"));
        }
    });
}

fn take_error() -> String {
    LAST_ERROR
        .try_with(|slot| slot.try_borrow_mut().ok().and_then(|mut s| s.take()))
        .ok()
        .flatten()
        .unwrap_or_else(|| "no message from GLFW".to_owned())
}

fn lock() -> MutexGuard<'static, GlfwState> {
    // A poisoned lock only means another thread panicked while holding it; the state it
    // guards is two plain fields that every path leaves consistent.
    GLFW.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn platform_name(platform: glfw::Platform) -> &'static str {
    match platform {
        glfw::Platform::Null => "null (headless)",
        glfw::Platform::X11 => "X11",
        glfw::Platform::Wayland => "Wayland",
        glfw::Platform::Win32 => "Win32",
        glfw::Platform::MacOS => "Cocoa",
        glfw::Platform::Any => "any",
    }
}

/// An OpenGL 4.5 core context owned by GLFW, current on the thread that created it.
///
/// It is neither `Send` nor `Sync`: a GL context belongs to one thread. Record on any thread,
/// replay on this one.
pub struct GlfwContext {
    window: ManuallyDrop<glfw::PWindow>,
    glfw: ManuallyDrop<glfw::Glfw>,
    surface: Surface,
    /// Its id in [`current`].
    id: u64,
}

impl GlfwContext {
    /// A headless 64x64 context (null platform + OSMesa).
    pub fn headless() -> Result<Self, ContextError> {
        Self::new(&ContextOptions::default())
    }

    /// A context as `options` describe; it is made current on this thread.
    pub fn new(options: &ContextOptions) -> Result<Self, ContextError> {
        check_size(options.width, options.height)?;
        let platform = match options.surface {
            Surface::Headless => glfw::Platform::Null,
            Surface::HiddenWindow | Surface::Window => {
                if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
                    return Err(ContextError::NoDisplay);
                }
                glfw::Platform::X11
            }
        };
        let mut state = lock();
        if let Some(current) = state.platform.filter(|&p| p != platform) {
            return Err(ContextError::PlatformInUse {
                current: platform_name(current),
                requested: platform_name(platform),
            });
        }
        glfw::init_hint(glfw::InitHint::Platform(platform));
        let mut glfw = glfw::init(store_error).map_err(|_| ContextError::Init {
            platform: platform_name(platform),
            message: take_error(),
        })?;
        glfw.default_window_hints();
        if options.surface == Surface::Headless {
            glfw.window_hint(glfw::WindowHint::ContextCreationApi(
                glfw::ContextCreationApi::OsMesa,
            ));
        }
        glfw.window_hint(glfw::WindowHint::ContextVersion(4, 5));
        glfw.window_hint(glfw::WindowHint::OpenGlProfile(
            glfw::OpenGlProfileHint::Core,
        ));
        glfw.window_hint(glfw::WindowHint::Visible(
            options.surface == Surface::Window,
        ));
        let created = glfw.create_window(
            options.width,
            options.height,
            &options.title,
            glfw::WindowMode::Windowed,
        );
        let Some((mut window, _events)) = created else {
            let message = take_error();
            let hint = if message.contains("OSMesa") {
                " (install libOSMesa: apt-get install libosmesa6)"
            } else {
                ""
            };
            // Dropping `glfw` here may terminate GLFW; the lock is still held.
            drop(glfw);
            return Err(ContextError::Create { message, hint });
        };
        window.make_current();
        let id = current::new_id();
        current::set(id);
        state.platform = Some(platform);
        state.contexts += 1;
        Ok(GlfwContext {
            window: ManuallyDrop::new(window),
            glfw: ManuallyDrop::new(glfw),
            surface: options.surface,
            id,
        })
    }

    /// Makes this context current on the calling thread (again when a context of another
    /// backend was made current since: see [`current`]).
    pub fn make_current(&self) {
        if !(current::is(self.id) && self.window.is_current()) {
            glfw::make_context_current(Some(&**self.window));
            current::set(self.id);
        }
    }

    /// The address of a GL function, for [`Renderer::from_loader`](crate::Renderer::from_loader).
    pub fn get_proc_address(&mut self, name: &str) -> *const c_void {
        self.window
            .get_proc_address(name)
            .map_or(std::ptr::null(), |f| f as *const c_void)
    }

    /// Presents the default framebuffer (a no-op for headless contexts).
    pub fn swap_buffers(&mut self) {
        if self.surface != Surface::Headless {
            self.window.swap_buffers();
        }
    }

    /// Size of the default framebuffer in pixels.
    pub fn framebuffer_size(&self) -> (u32, u32) {
        let (w, h) = self.window.get_framebuffer_size();
        (w.max(0) as u32, h.max(0) as u32)
    }

    /// How this context shows itself.
    pub fn surface(&self) -> Surface {
        self.surface
    }
}

impl Drop for GlfwContext {
    fn drop(&mut self) {
        let mut state = lock();
        // SAFETY: both fields are dropped exactly once, here, and never used afterwards. The
        // window goes first (glfwDestroyWindow), then the GLFW token, whose last drop calls
        // glfwTerminate; the lock serialises both against other threads' GLFW calls.
        unsafe {
            ManuallyDrop::drop(&mut self.window);
            ManuallyDrop::drop(&mut self.glfw);
        }
        state.contexts = state.contexts.saturating_sub(1);
        if state.contexts == 0 {
            state.platform = None;
        }
    }
}
