//! Whole-list validation: ids in order, side data present, the first bad command's index.

use super::*;
use crate::command::{Index, Tables};
use crate::ids::ReadbackId;
use crate::Recorder;

fn list_with(commands: Vec<Command>) -> CommandList {
    CommandList::from_parts(commands, &[], Tables::default()).unwrap()
}

#[test]
fn a_recorded_list_validates_with_its_counts() {
    let mut rec = Recorder::new();
    let b = rec.buffer(&[1u8; 8]).unwrap();
    rec.read(b, None, 0).unwrap();
    rec.read(b, Some(2), 6).unwrap();
    let list = rec.finish();
    let checked = list.validate().unwrap();
    assert_eq!(checked.readback_count(), 2);
}

#[test]
fn hand_made_lists_get_the_index_of_the_first_bad_command() {
    let create = Command::CreateBuffer {
        buffer: BufferId(0),
        dynamic: false,
        size: 4,
        data: None,
    };
    let list = list_with(vec![
        create,
        Command::Orphan {
            buffer: BufferId(0),
            size: 2,
        },
        Command::Read {
            buffer: BufferId(0),
            readback: ReadbackId(0),
            offset: 0,
            size: 4,
        },
    ]);
    let err = list.validate().unwrap_err();
    assert_eq!(err.index, 2);
    assert_eq!(
        err.to_string(),
        "command #2 (read): read of 4 bytes at offset 0 is out of range of buffer #0 (size 2 bytes)"
    );
}

#[test]
fn ids_out_of_order_and_missing_side_data_are_errors() {
    let cases = [
        (
            vec![Command::CreateBuffer {
                buffer: BufferId(1),
                dynamic: false,
                size: 4,
                data: None,
            }],
            ValidationError::IdOutOfOrder {
                kind: "buffer",
                expected: 0,
                found: 1,
            },
        ),
        (
            vec![Command::CopyBuffer {
                copy: Index::from_raw(3),
            }],
            ValidationError::MissingEntry {
                table: "copy",
                index: 3,
                count: 0,
            },
        ),
        (
            vec![Command::Release {
                object: Object::Buffer(BufferId(0)),
            }],
            ValidationError::Undefined {
                object: Object::Buffer(BufferId(0)),
                defined: 0,
            },
        ),
    ];
    for (commands, expected) in cases {
        assert_eq!(list_with(commands).validate().unwrap_err().error, expected);
    }
}

#[test]
fn payloads_outside_the_arena_are_errors() {
    let mut rec = Recorder::new();
    let b = rec.buffer(&[1u8; 100]).unwrap();
    rec.write(b, 0, &[2u8; 10]).unwrap();
    let list = rec.finish();
    let list =
        CommandList::from_parts(list.commands().to_vec(), &[], list.tables().clone()).unwrap();
    let err = list.validate().unwrap_err();
    assert_eq!(err.index, 0);
    assert!(matches!(
        err.error,
        ValidationError::PayloadOutsideArena { len: 100, .. }
    ));
}

#[test]
fn renderbuffer_bytes_live_until_released_and_detached() {
    let mut rec = Recorder::new();
    let color = rec.renderbuffer(4, 4, 4, 0, crate::PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(4, 4, 0).unwrap();
    let (a, d) = (color.into(), depth.into());
    let one = rec.framebuffer_from(&[a, a], Some(d)).unwrap();
    let two = rec.framebuffer_from(&[a], None).unwrap();
    rec.release(color).unwrap();
    rec.release(one).unwrap();
    rec.release(depth).unwrap();
    rec.release(two).unwrap();
    let list = rec.finish();
    let mut validator = Validator::default();
    let live: Vec<u64> = (list.commands().iter())
        .map(|command| {
            validator.apply(&list, command).unwrap();
            validator.counters.live_bytes
        })
        .collect();
    // 4x4 RGBA8, then 4x4 depth of 4 bytes; framebuffers own no bytes. The color
    // renderbuffer's bytes go with the last framebuffer holding it, the depth one's when it
    // is released, no framebuffer holding it any more.
    assert_eq!(live, [64, 128, 128, 128, 128, 128, 64, 0]);
    let limits = ReplayLimits {
        max_object_bytes: 127,
        ..ReplayLimits::default()
    };
    let error = (list.validate().unwrap())
        .check_limits(&limits, (64, 64), false, list.len())
        .unwrap_err();
    assert_eq!(
        (error.index, error.command),
        (1, "create_depth_renderbuffer")
    );
}
