//! PNG output for read pixels (screenshots, examples; feature `cli`).

use std::path::Path;

/// Why a picture could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The file could not be created or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The encoder refused the data.
    #[error("cannot encode {path} as PNG: {source}")]
    Encode {
        /// The file.
        path: String,
        /// The cause.
        source: png::EncodingError,
    },
    /// The pixel bytes do not match the size.
    #[error("{len} bytes are not {width}x{height} RGBA8 pixels")]
    Size {
        /// Bytes given.
        len: usize,
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
}

/// Writes RGBA8 pixels whose rows run bottom to top (as GL reads them) as a PNG file.
pub fn write_png(path: &Path, width: u32, height: u32, rgba: &[u8]) -> Result<(), ImageError> {
    let name = path.display().to_string();
    let row = width as usize * 4;
    if rgba.len() != row * height as usize || row == 0 {
        return Err(ImageError::Size {
            len: rgba.len(),
            width,
            height,
        });
    }
    let flipped: Vec<u8> = rgba.chunks_exact(row).rev().flatten().copied().collect();
    // Encode in memory, then write the file in one checked call: a failed write or close is
    // reported, never lost in a buffer's drop.
    let mut png_bytes = Vec::new();
    let encode = |source| ImageError::Encode {
        path: name.clone(),
        source,
    };
    let mut encoder = png::Encoder::new(&mut png_bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(encode)?;
    writer.write_image_data(&flipped).map_err(encode)?;
    writer.finish().map_err(encode)?;
    std::fs::write(path, &png_bytes).map_err(|source| ImageError::Io { path: name, source })
}
