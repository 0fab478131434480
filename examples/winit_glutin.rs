//! gltape as the renderer core of a windowed application (winit 0.30, glutin 0.32): the
//! application owns the window and the OpenGL context and draws with its own GL calls;
//! gltape draws a triangle streamed through a dynamic vertex buffer (orphan + write) each
//! frame, on objects created once, between the host's drawing, and gives the host its GL
//! state back after each submission. The screen follows the window's size.
//!
//! Each frame: the host clears the window and a green square in the bottom-left corner with
//! the scissor test, gltape draws its orange triangle in the middle, and the host clears a
//! green square in the top-right corner with the scissor test and clear color it set before
//! gltape ran.
//!
//! Run: `cargo run --example winit_glutin [-- --frames N [--check]]`
//!
//! `--frames N` exits after N frames. `--check` also resizes the window (to 320x240) after
//! half of them and checks the last: the window has that size, and one pixel of each square
//! and one of the triangle have their colors; otherwise it exits with an error (status 1).

use gltape::gl::{self, Gl};
use gltape::VertexArrayId;
use gltape::{BufferId, Draw, Mode, ProgramDesc, Recorder, Renderer, Screen, Segment};
use glutin::config::{ConfigTemplateBuilder, GlConfig};
use glutin::context::{ContextApi, ContextAttributesBuilder, GlProfile, PossiblyCurrentContext};
use glutin::context::{NotCurrentGlContext, Version};
use glutin::display::{Display, DisplayApiPreference, GlDisplay};
use glutin::surface::{GlSurface, Surface, SurfaceAttributesBuilder, WindowSurface};
use std::error::Error;
use std::ffi::{c_void, CString};
use std::num::NonZeroU32;
use winit::application::ApplicationHandler;
use winit::dpi::PhysicalSize;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, EventLoop};
use winit::raw_window_handle::{HasDisplayHandle, HasWindowHandle};
use winit::window::{Window, WindowId};

/// The size `--check` resizes the window to.
const CHECK_SIZE: PhysicalSize<u32> = PhysicalSize::new(320, 240);
/// The side of the host's squares, in pixels.
const SQUARE: i32 = 24;
/// The host's squares, RGBA8.
const GREEN: [u8; 4] = [0, 255, 0, 255];
/// gltape's triangle, RGBA8 (the fragment shader's color).
const ORANGE: [u8; 4] = [255, 102, 0, 255];

const VERTEX: &str = "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }";

const FRAGMENT: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(1.0, 0.4, 0.0, 1.0); }";

/// Frame `frame`'s triangle (`2f` positions): centered, turning a little each frame.
fn triangle(frame: u64) -> [[f32; 2]; 3] {
    std::array::from_fn(|corner| {
        let angle = frame as f32 * 0.05 + corner as f32 * std::f32::consts::TAU / 3.0;
        [0.5 * angle.cos(), 0.5 * angle.sin()]
    })
}

/// The command line: exit after `frames` (None: when the window closes), check the last.
struct Options {
    frames: Option<u64>,
    check: bool,
}

impl Options {
    fn parse() -> Result<Self, Box<dyn Error>> {
        let mut options = Options {
            frames: None,
            check: false,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--frames" => {
                    let count = args.next().and_then(|count| count.parse().ok());
                    let count = count.filter(|&count| count > 0);
                    options.frames = Some(count.ok_or("--frames needs a count of 1 or more")?);
                }
                "--check" => options.check = true,
                _ => return Err(format!("unknown argument {arg:?}").into()),
            }
        }
        if options.check && options.frames.is_none() {
            return Err("--check needs --frames".into());
        }
        Ok(options)
    }
}

/// Everything made once the event loop runs. Fields drop in order: the renderer deletes its
/// GL objects while the context is alive and current.
struct Running {
    renderer: Renderer,
    /// The host's own GL functions.
    host: Gl,
    recorder: Recorder,
    /// The frame's commands, flushed into the same segment each frame.
    segment: Segment,
    vbo: BufferId,
    vao: VertexArrayId,
    surface: Surface<WindowSurface>,
    context: PossiblyCurrentContext,
    window: Window,
    size: PhysicalSize<u32>,
    frame: u64,
}

impl Running {
    /// Opens the window, makes a GL 4.5 core context current on it and records the scene's
    /// resources: the first segment, which creates them on the renderer.
    fn start(event_loop: &ActiveEventLoop) -> Result<Self, Box<dyn Error>> {
        // GLX, else EGL, on X11 (Mesa: llvmpipe under Xvfb). glutin-winit's DisplayBuilder
        // does the same, but its config picker cannot fail.
        let hook = Box::new(winit::platform::x11::register_xlib_error_hook);
        let raw_display = event_loop.display_handle()?.as_raw();
        // SAFETY: the event loop's X display stays open until `exiting` has dropped all
        // that is made here; the hook is winit's.
        let display = unsafe { Display::new(raw_display, DisplayApiPreference::GlxThenEgl(hook))? };
        // SAFETY: the template names no window. Single-sampled configs first: exact pixels.
        let config = unsafe { display.find_configs(ConfigTemplateBuilder::new().build())? }
            .min_by_key(|config| config.num_samples())
            .ok_or("no GL config for a window")?;
        let attributes = Window::default_attributes()
            .with_title("gltape in a winit + glutin window")
            .with_inner_size(PhysicalSize::new(256, 256));
        let window = glutin_winit::finalize_window(event_loop, attributes, &config)?;
        let size = window.inner_size();
        let raw_window = window.window_handle()?.as_raw();
        let context = ContextAttributesBuilder::new()
            .with_context_api(ContextApi::OpenGl(Some(Version::new(4, 5))))
            .with_profile(GlProfile::Core)
            .build(Some(raw_window));
        let (width, height) = non_zero(size).ok_or("the window has no pixels")?;
        let surface =
            SurfaceAttributesBuilder::<WindowSurface>::new().build(raw_window, width, height);
        // SAFETY: the window handle is `window`'s, which outlives the surface and the
        // context (field order in `Running`).
        let surface = unsafe { display.create_window_surface(&config, &surface)? };
        // SAFETY: as above.
        let context = unsafe { display.create_context(&config, &context)? };
        let context = context.make_current(&surface)?;
        println!("{}", display.version_string());

        let loader = |name: &str| -> *const c_void {
            CString::new(name).map_or(std::ptr::null(), |name| display.get_proc_address(&name))
        };
        let host = Gl::load_with(loader);
        // SAFETY: the context is current on this thread and stays current; `loader` answers
        // for it; the renderer drops before the context (field order in `Running`).
        let mut renderer = unsafe { Renderer::from_loader(loader)? };
        renderer.restore_host_state(true);
        renderer.set_screen(Screen::Default {
            width: size.width,
            height: size.height,
        })?;

        let mut recorder = Recorder::new();
        let program = recorder.program(ProgramDesc::new(VERTEX).fragment(FRAGMENT))?;
        let vbo = recorder.buffer_reserve(size_of::<[[f32; 2]; 3]>() as u64, true)?;
        let vao = recorder.vertex_array(program, &[(vbo, "2f", &["in_pos"])], None)?;
        renderer.submit(&recorder.flush()?)?;
        Ok(Running {
            renderer,
            host,
            recorder,
            segment: Segment::default(),
            vbo,
            vao,
            surface,
            context,
            window,
            size,
            frame: 0,
        })
    }

    /// Follows the window's new size: the GL surface and gltape's screen.
    fn resize(&mut self, size: PhysicalSize<u32>) -> Result<(), Box<dyn Error>> {
        if let Some((width, height)) = non_zero(size) {
            self.surface.resize(&self.context, width, height);
            self.renderer.set_screen(Screen::Default {
                width: size.width,
                height: size.height,
            })?;
            self.size = size;
        }
        Ok(())
    }

    /// One frame: the host's drawing around gltape's, not yet swapped.
    fn draw(&mut self) -> Result<(), Box<dyn Error>> {
        let gl = &self.host;
        let (width, height) = (self.size.width as i32, self.size.height as i32);
        // SAFETY: the context is current; plain state changes and clears of framebuffer 0.
        unsafe {
            gl.Disable(gl::SCISSOR_TEST);
            gl.ClearColor(0.1, 0.1, 0.15, 1.0);
            gl.Clear(gl::COLOR_BUFFER_BIT);
            gl.Enable(gl::SCISSOR_TEST);
            gl.Scissor(0, 0, SQUARE, SQUARE);
            gl.ClearColor(0.0, 1.0, 0.0, 1.0);
            gl.Clear(gl::COLOR_BUFFER_BIT);
        }

        let rec = &mut self.recorder;
        rec.orphan(self.vbo, None)?;
        rec.write(self.vbo, 0, &triangle(self.frame))?;
        rec.render(self.vao, Draw::new(Mode::Triangles))?;
        rec.flush_into(&mut self.segment)?;
        self.renderer.submit(&self.segment)?;

        // SAFETY: as above. The scissor test and the clear color are the host's from before
        // the submission, given back by `restore_host_state`.
        unsafe {
            gl.Scissor(width - SQUARE, height - SQUARE, SQUARE, SQUARE);
            gl.Clear(gl::COLOR_BUFFER_BIT);
            gl.Disable(gl::SCISSOR_TEST);
        }
        self.frame += 1;
        Ok(())
    }

    /// `--check`'s test of the frame just drawn (before the swap).
    fn check(&self) -> Result<(), Box<dyn Error>> {
        if self.size != CHECK_SIZE {
            return Err(format!("the window is {:?}, not {CHECK_SIZE:?}", self.size).into());
        }
        let (width, height) = (self.size.width as i32, self.size.height as i32);
        let expected = [
            ("the host's square drawn before gltape", 1, 1, GREEN),
            ("gltape's triangle", width / 2, height / 2, ORANGE),
            (
                "the host's square drawn after gltape",
                width - 2,
                height - 2,
                GREEN,
            ),
        ];
        for (what, x, y, color) in expected {
            let mut pixel = [0u8; 4];
            // SAFETY: one RGBA8 pixel, within the 4 bytes given; the host's pack state and
            // read framebuffer (0, its back buffer) are the defaults.
            unsafe {
                let out = pixel.as_mut_ptr().cast();
                self.host
                    .ReadnPixels(x, y, 1, 1, gl::RGBA, gl::UNSIGNED_BYTE, 4, out);
            }
            if pixel != color {
                return Err(format!("{what} at ({x}, {y}) is {pixel:?}, not {color:?}").into());
            }
        }
        println!("checked: {} frames at {width}x{height}", self.frame);
        Ok(())
    }
}

/// `size` as a GL surface size, if it has pixels.
fn non_zero(size: PhysicalSize<u32>) -> Option<(NonZeroU32, NonZeroU32)> {
    Some((NonZeroU32::new(size.width)?, NonZeroU32::new(size.height)?))
}

/// The application: options, then what `Running::start` made, and the first error.
struct App {
    options: Options,
    running: Option<Running>,
    error: Option<Box<dyn Error>>,
}

impl App {
    /// Redraws: a frame, then a swap, or the end after `--frames` (checked with `--check`).
    fn redraw(&mut self, event_loop: &ActiveEventLoop) -> Result<(), Box<dyn Error>> {
        let Some(running) = &mut self.running else {
            return Ok(());
        };
        running.draw()?;
        if Some(running.frame) == self.options.frames {
            if self.options.check {
                running.check()?;
            }
            event_loop.exit();
        } else if self.options.check && self.options.frames.map(|n| n / 2) == Some(running.frame) {
            // No size comes back at once on X11: it arrives as WindowEvent::Resized.
            let _ = running.window.request_inner_size(CHECK_SIZE);
        }
        running.surface.swap_buffers(&running.context)?;
        Ok(())
    }
}

impl ApplicationHandler for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.running.is_none() {
            match Running::start(event_loop) {
                Ok(running) => self.running = Some(running),
                Err(error) => {
                    self.error = Some(error);
                    event_loop.exit();
                }
            }
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _: WindowId, event: WindowEvent) {
        let result = match event {
            WindowEvent::Resized(size) => self.running.as_mut().map_or(Ok(()), |r| r.resize(size)),
            WindowEvent::RedrawRequested => self.redraw(event_loop),
            WindowEvent::CloseRequested => {
                event_loop.exit();
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(error) = result {
            self.error.get_or_insert(error);
            event_loop.exit();
        }
    }

    fn about_to_wait(&mut self, _: &ActiveEventLoop) {
        if let Some(running) = &self.running {
            running.window.request_redraw();
        }
    }

    fn exiting(&mut self, _: &ActiveEventLoop) {
        // The renderer, then the context and the window, while the event loop's display is
        // still open (field order in `Running`).
        self.running = None;
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut app = App {
        options: Options::parse()?,
        running: None,
        error: None,
    };
    EventLoop::new()?.run_app(&mut app)?;
    app.error.map_or(Ok(()), Err)
}
