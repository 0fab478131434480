//! The derived text form of the kinds marked `[plain_text]` in the command definition: the
//! command's own fields under its name, `{"op": "release", "object": {"buffer": 0}}`, so a new
//! kind whose fields are plain values needs no hand-written text form.

use super::TextError;
use crate::command::Command;
use serde::de::{Error as _, MapAccess, Visitor};
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// A plain command as the object of one line: `"op"` first, then its fields by name.
pub(super) struct PlainLine<'a>(pub &'a Command);

impl Serialize for PlainLine<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let name = self.0.name();
        // serde writes a unit kind as its name and any other as `{name: {fields}}`.
        let fields = match serde_json::to_value(self.0).map_err(S::Error::custom)? {
            Value::Object(mut kind) => kind.remove(name),
            _ => None,
        };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("op", name)?;
        if let Some(Value::Object(fields)) = fields {
            for (field, value) in &fields {
                map.serialize_entry(field, value)?;
            }
        }
        map.end()
    }
}

/// The command of kind `name` on `line`, whose text is `text` (a JSON object).
pub(super) fn parse(line: usize, name: &str, text: &str) -> Result<Command, TextError> {
    let Fields(mut fields) =
        serde_json::from_str(text).map_err(|error| TextError::json(line, &error))?;
    fields.remove("op");
    if let Ok(command) = Command::deserialize(Value::String(name.to_owned())) {
        // A kind without fields.
        return match fields.keys().next() {
            None => Ok(command),
            Some(field) => Err(TextError::Json {
                line,
                column: None,
                message: format!("unknown field `{field}`: `{name}` takes no fields"),
            }),
        };
    }
    let kind = Value::Object(Map::from_iter([(name.to_owned(), Value::Object(fields))]));
    Command::deserialize(kind).map_err(|error| TextError::json(line, &error))
}

/// The members of a line's object, refusing a name given twice (as the hand-made form does)
/// where a plain map would keep the last.
struct Fields(Map<String, Value>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Fields, A::Error> {
                let mut fields = Map::new();
                while let Some((field, value)) = access.next_entry::<String, Value>()? {
                    if fields.contains_key(&field) {
                        return Err(A::Error::custom(format!("duplicate field `{field}`")));
                    }
                    fields.insert(field, value);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Members)
    }
}
