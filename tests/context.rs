//! Headless GLFW contexts: what they offer and how they refuse bad requests.

use gltape::{ContextError, ContextOptions, GlfwContext, Renderer, Surface};

#[test]
fn headless_context_offers_gl_4_5_core_on_llvmpipe_at_the_asked_size() {
    let options = ContextOptions {
        width: 48,
        height: 20,
        ..ContextOptions::default()
    };
    let context = GlfwContext::new(&options).unwrap();
    assert_eq!(context.surface(), Surface::Headless);
    assert_eq!(context.framebuffer_size(), (48, 20));
    let renderer = Renderer::with_context(context).unwrap();
    let info = renderer.info();
    assert!(info.version.starts_with("4.5"), "{info:?}");
    assert!(info.version.contains("Core"), "{info:?}");
    assert!(info.renderer.contains("llvmpipe"), "{info:?}");
}

#[test]
fn bad_sizes_are_refused_before_glfw_is_touched() {
    for (width, height) in [(0, 10), (10, 0), (16385, 1)] {
        let options = ContextOptions {
            width,
            height,
            ..ContextOptions::default()
        };
        assert_eq!(
            GlfwContext::new(&options).err(),
            Some(ContextError::BadSize { width, height })
        );
    }
}
