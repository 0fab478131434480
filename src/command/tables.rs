//! The side tables of a command list, listed once.
//!
//! Descriptors too wide for a [`Command`](super::Command) (program sources, vertex layouts,
//! copies, clears, pixel reads, uniform names, textures, texture writes, compute shaders) live in side tables that commands point into
//! with a typed [`Index`]. [`with_side_tables!`] is the one list of those tables: the
//! [`Tables`] struct, the [`Table`] enum and the trace format's chunk tables are all generated
//! from it, so a new table is one line there.

use super::compute::ComputeShaderDesc;
use super::desc::{
    BufferCopy, Chunks, ClearDesc, DepthRead, FramebufferAttachments, FramebufferDesc, PixelRead,
    ProgramDesc, TransformDesc, VertexArrayDesc,
};
use super::texture::{TextureDesc, TextureWrite};
use std::marker::PhantomData;

/// Calls `$callback!` with every side table as `field: EntryType => Variant, "entry name";`.
macro_rules! with_side_tables {
    ($callback:ident) => {
        $callback! {
            copies: BufferCopy => Copies, "copy";
            programs: ProgramDesc => Programs, "program";
            vertex_arrays: VertexArrayDesc => VertexArrays, "vertex array";
            transforms: TransformDesc => Transforms, "transform";
            framebuffers: FramebufferDesc => Framebuffers, "framebuffer";
            clears: ClearDesc => Clears, "clear";
            pixel_reads: PixelRead => PixelReads, "pixel read";
            names: String => Names, "name";
            attachments: FramebufferAttachments => Attachments, "attachment list";
            depth_reads: DepthRead => DepthReads, "depth read";
            textures: TextureDesc => Textures, "texture";
            texture_writes: TextureWrite => TextureWrites, "texture write";
            chunks: Chunks => Chunks, "chunk layout";
            compute_shaders: ComputeShaderDesc => ComputeShaders, "compute shader";
        }
    };
}
pub(crate) use with_side_tables;

/// The index of an entry of type `T` in its list's side table.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent, bound = "")]
pub struct Index<T> {
    raw: u32,
    #[serde(skip)]
    entry: PhantomData<fn() -> T>,
}

impl<T> Index<T> {
    /// The index with number `raw`, for lists built by hand; validation checks it exists.
    pub const fn from_raw(raw: u32) -> Self {
        Index {
            raw,
            entry: PhantomData,
        }
    }

    /// The number of the entry in its table.
    pub const fn raw(self) -> u32 {
        self.raw
    }
}

impl<T> Clone for Index<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Index<T> {}
impl<T> PartialEq for Index<T> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<T> Eq for Index<T> {}
impl<T> std::hash::Hash for Index<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}
impl<T> std::fmt::Debug for Index<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.raw)
    }
}

/// A type stored in one side table.
pub trait TableEntry: Sized {
    /// Which table.
    const TABLE: Table;
    /// The table in `tables`.
    fn table(tables: &Tables) -> &[Self];
    /// The same, to append to.
    #[doc(hidden)]
    fn table_mut(tables: &mut Tables) -> &mut Vec<Self>;
}

macro_rules! define_tables {
    ($($field:ident: $entry:ty => $variant:ident, $name:literal;)*) => {
        /// Every side table of a list.
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct Tables {
            $($field: Vec<$entry>,)*
        }

        /// One side table, by name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Table {
            $(
                #[doc = concat!("`", stringify!($entry), "` entries.")]
                $variant,
            )*
        }

        impl Table {
            /// Every table, in [`Tables`] field order.
            pub const ALL: &'static [Table] = &[$(Table::$variant),*];

            /// The name of one entry, for messages.
            pub fn entry_name(self) -> &'static str {
                match self {
                    $(Table::$variant => $name,)*
                }
            }
        }

        $(
            impl TableEntry for $entry {
                const TABLE: Table = Table::$variant;
                fn table(tables: &Tables) -> &[Self] {
                    &tables.$field
                }
                fn table_mut(tables: &mut Tables) -> &mut Vec<Self> {
                    &mut tables.$field
                }
            }
        )*

        impl Tables {
            /// Number of entries in `table`.
            pub fn len(&self, table: Table) -> usize {
                match table {
                    $(Table::$variant => self.$field.len(),)*
                }
            }

            /// Empties every table, keeping the allocations.
            pub(crate) fn clear(&mut self) {
                $(self.$field.clear();)*
            }

            /// Appends every entry of `other`, table by table.
            pub(super) fn append(&mut self, other: Tables) {
                $(self.$field.extend(other.$field);)*
            }

            /// Cuts every table back to the lengths `marks` recorded.
            pub(super) fn truncate(&mut self, marks: &TableMarks) {
                $(self.$field.truncate(marks.$field);)*
            }

            /// The length of every table, to truncate back to.
            pub(super) fn marks(&self) -> TableMarks {
                TableMarks { $($field: self.$field.len(),)* }
            }
        }

        /// The length of every table at one moment (see [`Tables::truncate`]).
        #[derive(Clone, Copy, Debug)]
        pub(super) struct TableMarks {
            $($field: usize,)*
        }
    };
}
with_side_tables!(define_tables);

impl Tables {
    /// The entry at `index`, or `None` when the table is shorter.
    pub fn get<T: TableEntry>(&self, index: Index<T>) -> Option<&T> {
        T::table(self).get(index.raw as usize)
    }

    /// Every entry of the table of `T`, in order.
    pub fn entries<T: TableEntry>(&self) -> &[T] {
        T::table(self)
    }

    /// Every entry of the table of `T`, to change in place (tables built by hand, for
    /// [`CommandList::from_parts`](super::CommandList::from_parts)).
    pub fn entries_mut<T: TableEntry>(&mut self) -> &mut [T] {
        T::table_mut(self)
    }

    /// Appends `entry` to its table and returns its index, or `None` when the table already
    /// holds 2^32 entries. (Lists take entries through a
    /// [`Transaction`](super::Transaction); this builds tables for
    /// [`CommandList::from_parts`](super::CommandList::from_parts).)
    pub fn push<T: TableEntry>(&mut self, entry: T) -> Option<Index<T>> {
        let table = T::table_mut(self);
        let index = u32::try_from(table.len()).ok()?;
        table.push(entry);
        Some(Index::from_raw(index))
    }
}
