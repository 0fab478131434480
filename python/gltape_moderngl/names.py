"""ModernGL's values by the text form's names (docs/text-format.md) and ModernGL's byte
layouts of images, shared by the capture and the differential suite's facade."""

# Bytes per component of each ModernGL dtype.
DTYPE_SIZE = {"f1": 1, "f2": 2, "f4": 4, "u1": 1, "u2": 2, "u4": 4, "i1": 1, "i2": 2, "i4": 4,
              "nu1": 1, "nu2": 2, "ni1": 1, "ni2": 2}

# Texture filters (ModernGL's constants, GL enums) by name.
FILTERS = {"nearest": 0x2600, "linear": 0x2601, "nearest_mipmap_nearest": 0x2700,
           "linear_mipmap_nearest": 0x2701, "nearest_mipmap_linear": 0x2702,
           "linear_mipmap_linear": 0x2703}

# Internal format overrides of textures (ModernGL's `internal_format`, a GL enum) by name.
INTERNAL_FORMATS = {"srgb8_alpha8": 0x8C43, "srgb8": 0x8C41}

# Image formats (`bind_to_image`'s `format`, a GL enum) by name: GL 4.5's table 8.27.
IMAGE_FORMATS = {
    "rgba32f": 0x8814, "rgba16f": 0x881A, "rg32f": 0x8230, "rg16f": 0x822F,
    "r11f_g11f_b10f": 0x8C3A, "r32f": 0x822E, "r16f": 0x822D, "rgba32ui": 0x8D70,
    "rgba16ui": 0x8D76, "rgb10_a2ui": 0x906F, "rgba8ui": 0x8D7C, "rg32ui": 0x823C,
    "rg16ui": 0x823A, "rg8ui": 0x8238, "r32ui": 0x8236, "r16ui": 0x8234, "r8ui": 0x8232,
    "rgba32i": 0x8D82, "rgba16i": 0x8D88, "rgba8i": 0x8D8E, "rg32i": 0x823B, "rg16i": 0x8239,
    "rg8i": 0x8237, "r32i": 0x8235, "r16i": 0x8233, "r8i": 0x8231, "rgba16": 0x805B,
    "rgb10_a2": 0x8059, "rgba8": 0x8058, "rg16": 0x822C, "rg8": 0x822B, "r16": 0x822A,
    "r8": 0x8229, "rgba16_snorm": 0x8F9B, "rgba8_snorm": 0x8F97, "rg16_snorm": 0x8F99,
    "rg8_snorm": 0x8F95, "r16_snorm": 0x8F98, "r8_snorm": 0x8F94,
}

# Image access by ModernGL's `read` and `write` flags of `bind_to_image`.
IMAGE_ACCESS = {(True, True): "read_write", (True, False): "read_only",
                (False, True): "write_only"}

# ModernGL's ALL_BARRIER_BITS, its default barrier.
ALL_BARRIER_BITS = 0xFFFFFFFF

# The barrier bits GL 4.5 defines, and those glMemoryBarrierByRegion takes.
BARRIER_BITS = 0xFFEF
BY_REGION_BARRIER_BITS = 0x1000 | 0x400 | 0x20 | 0x2000 | 0x8 | 0x4


def image_bytes(width, height, depth, components, dtype, alignment):
    """Bytes of an image as ModernGL counts them: rows padded to the alignment."""
    return row_stride(width, components, dtype, alignment) * height * depth


def row_stride(width, components, dtype, alignment):
    """Bytes of one row of an image padded to the alignment."""
    row = width * components * DTYPE_SIZE[dtype]
    return (row + alignment - 1) // alignment * alignment


def read_size(kind, size, components, dtype, level, alignment):
    """Bytes of a texture read: a level of a 2D texture (ModernGL halves and floors each side
    to at least 1), every layer of level 0 of an array or 3D texture, a cube face."""
    width, height = level_size(kind, size, level)
    depth = size[2] if kind in ("texture_array", "texture3d") else 1
    return image_bytes(width, height, depth, components, dtype, alignment)


def level_size(kind, size, level):
    """Width and height of `level` of a texture of ModernGL's constructor `kind` (only 2D
    textures read levels above 0)."""
    width, height = size[0], size[1]
    if kind == "texture":
        width, height = max(width // (1 << level), 1), max(height // (1 << level), 1)
    return width, height
