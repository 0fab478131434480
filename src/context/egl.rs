//! Surfaceless EGL contexts: OpenGL 4.5 core with no window system, no X server and no GLFW.
//!
//! `libEGL.so.1` is loaded at run time (khronos-egl's `dynamic` loader, through libloading),
//! once per process, with one display: Mesa's surfaceless platform
//! (EGL_MESA_platform_surfaceless), or else the device platform (EGL_EXT_platform_device) on
//! Mesa's software device (EGL_MESA_device_software). The display stays initialised for the
//! life of the process, so contexts on any thread share it and none has to terminate it
//! under another's feet. Debian: `libegl1` (the loader), `libegl-mesa0` and `libgl1-mesa-dri`
//! (Mesa's driver, llvmpipe).
//!
//! A surfaceless context has no default framebuffer, so each context makes an offscreen one:
//! an RGBA8 color and a 24-bit depth / 8-bit stencil renderbuffer of the asked size (what
//! GLFW's default framebuffer has), which a renderer uses as its screen. It is deleted with
//! the context.

use super::headless::check_size;
use super::{current, ContextError};
use crate::gl::{self, types::GLuint, Gl};
use khronos_egl as egl;
use std::ffi::{c_char, c_void, CStr};
use std::marker::PhantomData;
use std::sync::OnceLock;

type Egl = egl::DynamicInstance<egl::EGL1_5>;

/// EGL_PLATFORM_SURFACELESS_MESA (EGL_MESA_platform_surfaceless).
const PLATFORM_SURFACELESS_MESA: egl::Enum = 0x31DD;
/// EGL_PLATFORM_DEVICE_EXT (EGL_EXT_platform_device).
const PLATFORM_DEVICE_EXT: egl::Enum = 0x313F;

/// What to install when EGL or Mesa's driver is missing.
const INSTALL_HINT: &str =
    " (install EGL and Mesa: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri)";

/// The platform a display is opened on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Platform {
    /// EGL_MESA_platform_surfaceless.
    Surfaceless,
    /// EGL_EXT_platform_device with the device that has EGL_MESA_device_software.
    SoftwareDevice,
}

/// The process's EGL: the loaded library, its initialised display and the config contexts
/// are created with.
struct Display {
    egl: Egl,
    display: egl::Display,
    config: egl::Config,
}

// SAFETY: EGL functions may be called from any thread and a display handle is valid on every
// thread (EGL 1.5, section 2.1); `Display` is never mutated after it is made.
unsafe impl Send for Display {}
// SAFETY: as above.
unsafe impl Sync for Display {}

static DISPLAY: OnceLock<Result<Display, ContextError>> = OnceLock::new();

/// The process's display, opened on first use; a failure to open it is kept too (a missing
/// library or driver does not appear later).
fn display() -> Result<&'static Display, ContextError> {
    DISPLAY.get_or_init(open).as_ref().map_err(Clone::clone)
}

fn egl_error(what: &str, error: egl::Error) -> ContextError {
    ContextError::Egl {
        message: format!("{what}: {error}"),
        hint: "",
    }
}

fn has_extension(extensions: &str, name: &str) -> bool {
    extensions.split_ascii_whitespace().any(|e| e == name)
}

/// Loads libEGL and initialises a display on the first platform it offers.
fn open() -> Result<Display, ContextError> {
    // SAFETY: `libEGL.so.1` (or `libEGL.so`) is the Khronos EGL library, glvnd's dispatcher or
    // a vendor's; khronos-egl resolves the EGL 1.5 functions by name and checks that each is
    // there.
    let egl = unsafe { Egl::load_required() }.map_err(|error| ContextError::Egl {
        message: format!("libEGL.so.1 could not be loaded: {error}"),
        hint: INSTALL_HINT,
    })?;
    let client = egl
        .query_string(None, egl::EXTENSIONS)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let platform = if has_extension(&client, "EGL_MESA_platform_surfaceless") {
        Platform::Surfaceless
    } else if has_extension(&client, "EGL_EXT_platform_device") {
        Platform::SoftwareDevice
    } else {
        return Err(ContextError::Egl {
            message: "EGL offers neither EGL_MESA_platform_surfaceless nor \
                      EGL_EXT_platform_device"
                .to_owned(),
            hint: INSTALL_HINT,
        });
    };
    open_on(egl, platform)
}

/// Initialises the display of `platform` and picks the config for OpenGL contexts.
fn open_on(egl: Egl, platform: Platform) -> Result<Display, ContextError> {
    let display = match platform {
        // SAFETY: the surfaceless platform takes EGL_DEFAULT_DISPLAY as its native display.
        Platform::Surfaceless => unsafe {
            egl.get_platform_display(
                PLATFORM_SURFACELESS_MESA,
                egl::DEFAULT_DISPLAY,
                &[egl::ATTRIB_NONE],
            )
        }
        .map_err(|e| egl_error("no surfaceless EGL display", e))?,
        Platform::SoftwareDevice => {
            let device = software_device(&egl)?;
            // SAFETY: `device` is an EGLDeviceEXT that EGL returned just now.
            unsafe { egl.get_platform_display(PLATFORM_DEVICE_EXT, device, &[egl::ATTRIB_NONE]) }
                .map_err(|e| egl_error("no EGL display on the software device", e))?
        }
    };
    egl.initialize(display).map_err(|error| ContextError::Egl {
        message: format!("eglInitialize failed on the {platform:?} platform: {error}"),
        hint: INSTALL_HINT,
    })?;
    let extensions = egl
        .query_string(Some(display), egl::EXTENSIONS)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !has_extension(&extensions, "EGL_KHR_surfaceless_context") {
        return Err(ContextError::Egl {
            message: "the EGL display lacks EGL_KHR_surfaceless_context".to_owned(),
            hint: "",
        });
    }
    // SURFACE_TYPE 0: any config, whatever surfaces it supports (the default asks for
    // windows, which a surfaceless display has none of).
    let wanted = [
        egl::RENDERABLE_TYPE,
        egl::OPENGL_BIT,
        egl::SURFACE_TYPE,
        0,
        egl::NONE,
    ];
    let config = egl
        .choose_first_config(display, &wanted)
        .map_err(|e| egl_error("eglChooseConfig failed", e))?
        .ok_or_else(|| ContextError::Egl {
            message: "the EGL display has no config for desktop OpenGL".to_owned(),
            hint: INSTALL_HINT,
        })?;
    Ok(Display {
        egl,
        display,
        config,
    })
}

/// The first EGL device with EGL_MESA_device_software (EGL_EXT_device_enumeration and
/// EGL_EXT_device_query, which EGL_EXT_platform_device builds on).
fn software_device(egl: &Egl) -> Result<*mut c_void, ContextError> {
    type QueryDevices = unsafe extern "system" fn(i32, *mut *mut c_void, *mut i32) -> u32;
    type QueryDeviceString = unsafe extern "system" fn(*mut c_void, i32) -> *const c_char;
    let missing = |name: &str| ContextError::Egl {
        message: format!("EGL offers EGL_EXT_platform_device but not {name}"),
        hint: "",
    };
    let query_devices = egl
        .get_proc_address("eglQueryDevicesEXT")
        .ok_or_else(|| missing("eglQueryDevicesEXT"))?;
    let query_string = egl
        .get_proc_address("eglQueryDeviceStringEXT")
        .ok_or_else(|| missing("eglQueryDeviceStringEXT"))?;
    // SAFETY: eglGetProcAddress returned these for the names whose C signatures the
    // EGL_EXT_device_enumeration and EGL_EXT_device_query specifications give, which the
    // types above spell.
    let (query_devices, query_string) = unsafe {
        (
            std::mem::transmute::<extern "system" fn(), QueryDevices>(query_devices),
            std::mem::transmute::<extern "system" fn(), QueryDeviceString>(query_string),
        )
    };
    let mut devices = [std::ptr::null_mut(); 16];
    let mut count = 0;
    // SAFETY: `devices` holds 16 entries, the most EGL is asked to write; `count` is one int.
    let listed = unsafe { query_devices(16, devices.as_mut_ptr(), &mut count) };
    let count = if listed == egl::TRUE {
        usize::try_from(count).unwrap_or(0).min(devices.len())
    } else {
        0
    };
    devices
        .iter()
        .take(count)
        .copied()
        .find(|&device| {
            // SAFETY: a device EGL listed; the string is null or NUL-terminated and static.
            let extensions = unsafe { query_string(device, egl::EXTENSIONS) };
            !extensions.is_null()
                && has_extension(
                    // SAFETY: checked non-null above.
                    &unsafe { CStr::from_ptr(extensions) }.to_string_lossy(),
                    "EGL_MESA_device_software",
                )
        })
        .ok_or_else(|| ContextError::Egl {
            message: "no EGL device has EGL_MESA_device_software".to_owned(),
            hint: INSTALL_HINT,
        })
}

/// A surfaceless OpenGL 4.5 core EGL context and the offscreen framebuffer that is its
/// screen, current on the thread that created it.
///
/// It is neither `Send` nor `Sync`: a GL context belongs to one thread. Record on any thread,
/// replay on this one.
pub struct EglContext {
    display: &'static Display,
    context: egl::Context,
    /// The offscreen screen's framebuffer (0 until it is made).
    framebuffer: GLuint,
    width: u32,
    height: u32,
    /// Its id in [`current`].
    id: u64,
    _one_thread: PhantomData<*const ()>,
}

impl EglContext {
    /// A context whose screen is `width` by `height` pixels (each 1..=16384), made current on
    /// this thread.
    pub fn new(width: u32, height: u32) -> Result<Self, ContextError> {
        check_size(width, height)?;
        let shared = display()?;
        let egl = &shared.egl;
        // The current API is per thread; contexts are created for, and made current as, the
        // one bound.
        egl.bind_api(egl::OPENGL_API)
            .map_err(|e| egl_error("eglBindAPI(EGL_OPENGL_API) failed", e))?;
        let attributes = [
            egl::CONTEXT_MAJOR_VERSION,
            4,
            egl::CONTEXT_MINOR_VERSION,
            5,
            egl::CONTEXT_OPENGL_PROFILE_MASK,
            egl::CONTEXT_OPENGL_CORE_PROFILE_BIT,
            egl::NONE,
        ];
        let context = egl
            .create_context(shared.display, shared.config, None, &attributes)
            .map_err(|e| egl_error("eglCreateContext (OpenGL 4.5 core) failed", e))?;
        // From here on, dropping `made` destroys the context.
        let mut made = EglContext {
            display: shared,
            context,
            framebuffer: 0,
            width,
            height,
            id: current::new_id(),
            _one_thread: PhantomData,
        };
        egl.make_current(shared.display, None, None, Some(context))
            .map_err(|e| egl_error("eglMakeCurrent failed", e))?;
        current::set(made.id);
        made.framebuffer = made.create_screen()?;
        Ok(made)
    }

    /// Makes the offscreen screen: RGBA8 color, 24-bit depth and 8-bit stencil, bound as the
    /// draw and read framebuffer. The context is current.
    fn create_screen(&self) -> Result<GLuint, ContextError> {
        let gl = Gl::load_with(|name| self.get_proc_address(name));
        let needed = [
            gl.CreateFramebuffers.is_loaded(),
            gl.CreateRenderbuffers.is_loaded(),
            gl.NamedRenderbufferStorage.is_loaded(),
            gl.NamedFramebufferRenderbuffer.is_loaded(),
            gl.CheckNamedFramebufferStatus.is_loaded(),
            gl.BindFramebuffer.is_loaded(),
        ];
        if needed.contains(&false) {
            return Err(ContextError::Egl {
                message: "the context lacks OpenGL 4.5's framebuffer functions".to_owned(),
                hint: "",
            });
        }
        // Sides are 1..=16384 (checked in `new`), so they fit GLsizei.
        let (width, height) = (self.width as i32, self.height as i32);
        let (mut framebuffer, mut renderbuffers) = (0, [0; 2]);
        // SAFETY: the context is current and the functions are loaded (checked above); the
        // out-pointers hold one and two names; the formats and attachments are valid enums.
        let status = unsafe {
            gl.CreateFramebuffers(1, &mut framebuffer);
            gl.CreateRenderbuffers(2, renderbuffers.as_mut_ptr());
            let [color, depth_stencil] = renderbuffers;
            gl.NamedRenderbufferStorage(color, gl::RGBA8, width, height);
            gl.NamedRenderbufferStorage(depth_stencil, gl::DEPTH24_STENCIL8, width, height);
            gl.NamedFramebufferRenderbuffer(
                framebuffer,
                gl::COLOR_ATTACHMENT0,
                gl::RENDERBUFFER,
                color,
            );
            gl.NamedFramebufferRenderbuffer(
                framebuffer,
                gl::DEPTH_STENCIL_ATTACHMENT,
                gl::RENDERBUFFER,
                depth_stencil,
            );
            gl.BindFramebuffer(gl::FRAMEBUFFER, framebuffer);
            gl.CheckNamedFramebufferStatus(framebuffer, gl::FRAMEBUFFER)
        };
        if status != gl::FRAMEBUFFER_COMPLETE {
            return Err(ContextError::Egl {
                message: format!("the offscreen screen is incomplete (status 0x{status:04X})"),
                hint: "",
            });
        }
        Ok(framebuffer)
    }

    /// Makes this context current on the calling thread (with EGL_OPENGL_API bound), again
    /// when a context of another backend was made current since (see [`current`]).
    pub fn make_current(&self) {
        let egl = &self.display.egl;
        let display = self.display.display;
        // eglGetCurrentContext answers for the thread's bound API.
        let bound = egl.bind_api(egl::OPENGL_API).is_ok();
        if bound && egl.get_current_context() == Some(self.context) {
            if current::is(self.id) {
                return;
            }
            // EGL still counts it current, but another backend took Mesa's GL state since:
            // release it so that binding it again is not skipped as a no-op.
            let _ = egl.make_current(display, None, None, None);
        }
        // It only fails for a context current on another thread, which `!Send` rules out,
        // or when EGL runs out of memory; the next GL call then reports through the renderer.
        if egl
            .make_current(display, None, None, Some(self.context))
            .is_ok()
        {
            current::set(self.id);
        }
    }

    /// The address of a GL function for this context (null for an unknown name).
    pub fn get_proc_address(&self, name: &str) -> *const c_void {
        if name.contains('\0') {
            return std::ptr::null();
        }
        self.display
            .egl
            .get_proc_address(name)
            .map_or(std::ptr::null(), |f| f as *const c_void)
    }

    /// The GL name of the offscreen framebuffer that is this context's screen.
    pub fn framebuffer(&self) -> u32 {
        self.framebuffer
    }

    /// Size of the screen in pixels.
    pub fn framebuffer_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
}

impl Drop for EglContext {
    fn drop(&mut self) {
        let egl = &self.display.egl;
        // A context current on this thread would be destroyed only once released; the
        // offscreen screen's objects go with it.
        if egl.bind_api(egl::OPENGL_API).is_ok() && egl.get_current_context() == Some(self.context)
        {
            let _ = egl.make_current(self.display.display, None, None, None);
        }
        let _ = egl.destroy_context(self.display.display, self.context);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The device platform is the fallback for an EGL without the surfaceless platform; Mesa
    /// offers both, so open it directly here.
    #[test]
    fn the_software_device_platform_gives_a_display_with_an_opengl_config() {
        // SAFETY: as in `open`.
        let Ok(egl) = (unsafe { Egl::load_required() }) else {
            panic!("libEGL.so.1 is installed by scripts/setup");
        };
        let display = open_on(egl, Platform::SoftwareDevice).unwrap();
        let vendor = display
            .egl
            .query_string(Some(display.display), egl::VENDOR)
            .unwrap();
        assert_eq!(vendor.to_str(), Ok("Mesa Project"));
    }

    #[test]
    fn extension_lists_match_whole_names() {
        assert!(has_extension("EGL_A EGL_B_c", "EGL_B_c"));
        assert!(!has_extension("EGL_A EGL_B_c", "EGL_B"));
    }
}
