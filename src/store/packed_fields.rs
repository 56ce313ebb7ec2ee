//! How a note's fields are stored: the JSON object the domain reads and writes, packed. Every
//! note repeats the same few keys and a few values (`"kind":"basic"`, `"notetype":"Basic"`); as
//! text they were a quarter of a note's row. Packed, each known key is one byte, a known value
//! one byte, and a string its length and bytes:
//!
//! ```text
//! packed := 0x01 member*
//! member := key value
//! key    := 1..=KEYS.len()          (KEYS[code - 1])
//!         | 0x00 len bytes          (any other key, UTF-8)
//! value  := 0x00 len bytes          (a string, unescaped UTF-8)
//!         | 0x01 len bytes          (any other JSON value, as its text)
//!         | 0x02 + i                (the string WORDS[i])
//! len    := LEB128 varint
//! ```
//!
//! The SQL functions `pack_fields(json)` and `unpack_fields(packed)` (registered on every
//! connection) convert at the statement, so the rest of the code reads and writes JSON text. The
//! key and word tables only grow: a code, once given, means that name for good.

use std::borrow::Cow;

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// The first byte of packed fields: the format's version.
const VERSION: u8 = 1;

/// The keys of the notes' fields (terms, flash notes, quiz questions), by code - 1.
const KEYS: &[&str] = &[
    "kind",
    "notetype",
    "front",
    "back",
    "deck",
    "tags",
    "format",
    "id",
    "name",
    "aliases",
    "definition",
    "explanation",
    "area",
    "level",
    "lessons",
    "see_also",
    "sources",
    "lesson",
    "lesson_title",
    "question",
];

/// String values most notes have, by tag - 2.
const WORDS: &[&str] = &[
    "basic",
    "cloze",
    "Basic",
    "Cloze",
    "Basic (and reversed card)",
    "markdown",
    "Default",
];

const STRING: u8 = 0;
const RAW: u8 = 1;
const FIRST_WORD: u8 = 2;

/// Why packed fields cannot be read or JSON not packed.
#[derive(Debug, thiserror::Error)]
#[error("note fields: {0}")]
pub struct FieldsError(String);

/// Packs the JSON object `json`, its members in their order.
pub fn pack(json: &str) -> Result<Vec<u8>, FieldsError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let mut out = Vec::with_capacity(json.len());
    out.push(VERSION);
    serde::Deserializer::deserialize_map(&mut de, Members(&mut out))
        .map_err(|e| FieldsError(format!("not a JSON object ({e})")))?;
    de.end()
        .map_err(|e| FieldsError(format!("text after the object ({e})")))?;
    Ok(out)
}

/// Packs `value` (a struct) as [`pack`] packs the JSON `serde_json` writes of it, without the
/// text between: an import of 100k notes spent a tenth of a second writing and parsing it.
pub fn pack_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, FieldsError> {
    let mut out = Vec::with_capacity(256);
    out.push(VERSION);
    value.serialize(Packer {
        out: &mut out,
        member: false,
    })?;
    Ok(out)
}

impl serde::ser::Error for FieldsError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        FieldsError(msg.to_string())
    }
}

/// Writes a struct as packed members (`member: false`), or a member's value if it is a string
/// (or an enum's unit variant, which JSON writes as one). Anything else is refused before a
/// byte is written: a member's other values are written as their JSON text.
struct Packer<'o> {
    out: &'o mut Vec<u8>,
    member: bool,
}

impl Packer<'_> {
    fn string(self, s: &str) -> Result<(), FieldsError> {
        if !self.member {
            return refused("a string");
        }
        match WORDS.iter().position(|w| *w == s) {
            Some(at) => self.out.push(FIRST_WORD + at as u8),
            None => {
                self.out.push(STRING);
                write_text(self.out, s);
            }
        }
        Ok(())
    }
}

fn refused<T>(what: &str) -> Result<T, FieldsError> {
    Err(FieldsError(format!("not packed as itself: {what}")))
}

impl serde::ser::SerializeStruct for Packer<'_> {
    type Ok = ();
    type Error = FieldsError;

    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), FieldsError> {
        match KEYS.iter().position(|k| *k == key) {
            Some(at) => self.out.push(at as u8 + 1),
            None => {
                self.out.push(0);
                write_text(self.out, key);
            }
        }
        let as_itself = Packer {
            out: &mut *self.out,
            member: true,
        };
        if value.serialize(as_itself).is_err() {
            let raw = serde_json::to_string(value).map_err(|e| FieldsError(e.to_string()))?;
            self.out.push(RAW);
            write_text(self.out, &raw);
        }
        Ok(())
    }

    fn end(self) -> Result<(), FieldsError> {
        Ok(())
    }
}

/// Methods of [`Packer`] that refuse what they are given.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, FieldsError> {
            refused(stringify!($method))
        })*
    };
}

impl serde::Serializer for Packer<'_> {
    type Ok = ();
    type Error = FieldsError;
    type SerializeSeq = serde::ser::Impossible<(), FieldsError>;
    type SerializeTuple = serde::ser::Impossible<(), FieldsError>;
    type SerializeTupleStruct = serde::ser::Impossible<(), FieldsError>;
    type SerializeTupleVariant = serde::ser::Impossible<(), FieldsError>;
    type SerializeMap = serde::ser::Impossible<(), FieldsError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = serde::ser::Impossible<(), FieldsError>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, FieldsError> {
        match self.member {
            false => Ok(self),
            true => refused("a struct"),
        }
    }

    fn serialize_str(self, s: &str) -> Result<(), FieldsError> {
        self.string(s)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), FieldsError> {
        self.string(variant)
    }

    // JSON writes an option's value, and a newtype's, as the value itself.
    fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), FieldsError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), FieldsError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), FieldsError> {
        refused("a variant")
    }

    refuse!(
        serialize_bool(bool) -> (),
        serialize_i8(i8) -> (),
        serialize_i16(i16) -> (),
        serialize_i32(i32) -> (),
        serialize_i64(i64) -> (),
        serialize_u8(u8) -> (),
        serialize_u16(u16) -> (),
        serialize_u32(u32) -> (),
        serialize_u64(u64) -> (),
        serialize_f32(f32) -> (),
        serialize_f64(f64) -> (),
        serialize_char(char) -> (),
        serialize_bytes(&[u8]) -> (),
        serialize_none() -> (),
        serialize_unit() -> (),
        serialize_unit_struct(&'static str) -> (),
        serialize_seq(Option<usize>) -> Self::SerializeSeq,
        serialize_tuple(usize) -> Self::SerializeTuple,
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant,
        serialize_map(Option<usize>) -> Self::SerializeMap,
        serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant,
    );
}

/// The JSON text of packed fields (as `serde_json` writes it).
pub fn unpack(packed: &[u8]) -> Result<String, FieldsError> {
    let bad = |what: &str| FieldsError(format!("damaged packed fields: {what}"));
    let (&version, mut rest) = packed.split_first().ok_or_else(|| bad("empty"))?;
    if version != VERSION {
        return Err(bad(&format!("unknown format {version}")));
    }
    let mut out = Vec::with_capacity(packed.len() + 64);
    out.push(b'{');
    let mut first = true;
    while let Some((&code, after)) = rest.split_first() {
        rest = after;
        if !first {
            out.push(b',');
        }
        first = false;
        let key = match code {
            0 => text(&mut rest).ok_or_else(|| bad("a key"))?,
            _ => KEYS
                .get(usize::from(code) - 1)
                .ok_or_else(|| bad("an unknown key code"))?,
        };
        write_string(&mut out, key);
        out.push(b':');
        let (&tag, after) = rest.split_first().ok_or_else(|| bad("a value"))?;
        rest = after;
        match tag {
            STRING => write_string(&mut out, text(&mut rest).ok_or_else(|| bad("a string"))?),
            RAW => out.extend_from_slice(text(&mut rest).ok_or_else(|| bad("a value"))?.as_bytes()),
            word => write_string(
                &mut out,
                WORDS
                    .get(usize::from(word - FIRST_WORD))
                    .ok_or_else(|| bad("an unknown word"))?,
            ),
        }
    }
    out.push(b'}');
    String::from_utf8(out).map_err(|_| bad("not UTF-8"))
}

/// Registers `pack_fields` and `unpack_fields` on `conn` (NULL gives NULL; `unpack_fields` gives
/// text back as it is, which only a file from before packing holds).
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("pack_fields", 1, flags, |ctx: &Context| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Text(json) => {
                let json = std::str::from_utf8(json).map_err(user_error)?;
                Some(pack(json).map_err(user_error)?)
            }
            ValueRef::Null => None,
            _ => {
                return Err(user_error(FieldsError(
                    "pack_fields takes JSON text".into(),
                )))
            }
        })
    })?;
    conn.create_scalar_function("unpack_fields", 1, flags, |ctx: &Context| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Blob(packed) => Some(unpack(packed).map_err(user_error)?),
            ValueRef::Text(json) => Some(String::from_utf8_lossy(json).into_owned()),
            _ => None,
        })
    })
}

fn user_error(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(Box::new(e))
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes.
fn write_string(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

fn write_text(out: &mut Vec<u8>, s: &str) {
    let mut len = s.len() as u64;
    while len >= 0x80 {
        out.push((len as u8) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(s.as_bytes());
}

/// Takes a length-prefixed UTF-8 text off the front of `rest`.
fn text<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
    let mut len = 0u64;
    let mut shift = 0;
    loop {
        let (&byte, after) = rest.split_first()?;
        *rest = after;
        len |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
    let len = usize::try_from(len).ok()?;
    let bytes = rest.get(..len)?;
    *rest = &rest[len..];
    std::str::from_utf8(bytes).ok()
}

/// Writes each member of a JSON object as it is read.
struct Members<'o>(&'o mut Vec<u8>);

impl<'de> Visitor<'de> for Members<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.0;
        while let Some(key) = map.next_key_seed(Text)? {
            match KEYS.iter().position(|k| *k == key) {
                Some(at) => out.push(at as u8 + 1),
                None => {
                    out.push(0);
                    write_text(out, &key);
                }
            }
            let value: &'de RawValue = map.next_value()?;
            let raw = value.get();
            if raw.starts_with('"') {
                // Without a backslash, the text between the quotes is the string.
                let inner = &raw[1..raw.len() - 1];
                let s: Cow<'de, str> = match inner.contains('\\') {
                    false => Cow::Borrowed(inner),
                    true => serde_json::from_str(raw).map_err(serde::de::Error::custom)?,
                };
                match WORDS.iter().position(|w| *w == s) {
                    Some(at) => out.push(FIRST_WORD + at as u8),
                    None => {
                        out.push(STRING);
                        write_text(out, &s);
                    }
                }
            } else {
                out.push(RAW);
                write_text(out, raw);
            }
        }
        Ok(())
    }
}

/// A key, borrowed from the JSON text unless it has escapes.
struct Text;

impl<'de> serde::de::DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_flash_note_packs_to_two_thirds_and_back_to_the_same_text() {
        let json = r#"{"kind":"basic","notetype":"Basic","front":"Term 1","back":"A <b>short</b> \"quoted\" line\nand é","deck":"Big","tags":["chapter43"],"extra":{"b":1,"a":[2.5,null]}}"#;
        let packed = pack(json).unwrap();
        assert!(packed.len() * 3 < json.len() * 2, "{}", packed.len());
        assert_eq!(unpack(&packed).unwrap(), json);
    }

    #[test]
    fn damaged_or_foreign_bytes_are_refused_not_misread() {
        let packed = pack(r#"{"front":"abc"}"#).unwrap();
        assert!(unpack(&packed[..packed.len() - 1]).is_err());
        assert!(unpack(&[2, 3]).is_err());
        assert!(unpack(&[VERSION, 200, STRING, 0]).is_err());
        assert!(unpack(&[VERSION, 3, 250]).is_err());
        assert!(unpack(&[]).is_err());
        assert!(pack("[1, 2]").is_err());
        assert!(pack(r#"{"a":1} x"#).is_err());
    }

    #[test]
    fn a_note_packs_from_its_value_as_from_its_json() {
        let mut note = crate::content::flash::FlashNote {
            kind: crate::content::flash::FlashKind::Cloze,
            notetype: "Cloze".into(),
            front: "{{c1::x}} \"q\" é\n<b>".into(),
            back: "Basic".into(),
            deck: "A::B".into(),
            tags: vec!["t1".into(), "ü".into()],
            format: Default::default(),
        };
        for format in [
            Default::default(),
            crate::content::flash::TextFormat::Markdown,
        ] {
            note.format = format;
            let json = serde_json::to_string(&note).unwrap();
            assert_eq!(pack_value(&note).unwrap(), pack(&json).unwrap(), "{json}");
        }
        assert!(pack_value(&[1, 2]).is_err());
        assert!(pack_value("text").is_err());
        // An option's and a newtype's value are written as JSON writes them: as the value.
        #[derive(serde::Serialize)]
        struct Name(String);
        #[derive(serde::Serialize)]
        struct Other {
            front: Option<String>,
            back: Option<String>,
            deck: Name,
            level: Option<u8>,
            tags: Option<Vec<String>>,
        }
        let other = Other {
            front: Some("Basic".into()),
            back: None,
            deck: Name("A::B".into()),
            level: Some(3),
            tags: Some(vec!["t".into()]),
        };
        let json = serde_json::to_string(&other).unwrap();
        assert_eq!(pack_value(&other).unwrap(), pack(&json).unwrap(), "{json}");
    }

    proptest! {
        /// A flash note packs from its value exactly as from the JSON text of it.
        #[test]
        fn any_flash_note_packs_from_its_value_as_from_its_json(
            front in ".{0,40}",
            back in prop_oneof![Just("Basic".to_owned()), ".{0,20}"],
            deck in ".{0,12}",
            tags in proptest::collection::vec("[a-z:é\"]{0,8}", 0..4),
            cloze in any::<bool>(),
            markdown in any::<bool>(),
        ) {
            use crate::content::flash::{FlashKind, FlashNote, TextFormat};
            let note = FlashNote {
                kind: if cloze { FlashKind::Cloze } else { FlashKind::Basic },
                notetype: back.clone(),
                front,
                back,
                deck,
                tags,
                format: if markdown { TextFormat::Markdown } else { TextFormat::Html },
            };
            let json = serde_json::to_string(&note).unwrap();
            prop_assert_eq!(pack_value(&note).unwrap(), pack(&json).unwrap());
        }

        /// Any object `serde_json` writes comes back as the same text, member order included.
        #[test]
        fn every_object_comes_back_as_it_was_written(
            members in proptest::collection::vec(
                (
                    prop_oneof![
                        proptest::sample::select(KEYS).prop_map(str::to_owned),
                        any::<String>()
                    ],
                    prop_oneof![
                        proptest::sample::select(WORDS).prop_map(|w| serde_json::json!(w)),
                        any::<String>().prop_map(serde_json::Value::from),
                        proptest::collection::vec(any::<String>(), 0..3).prop_map(serde_json::Value::from),
                        any::<i64>().prop_map(serde_json::Value::from),
                        any::<bool>().prop_map(serde_json::Value::from),
                    ],
                ),
                0..8,
            )
        ) {
            // Written by hand to keep the order (and the repeated keys) proptest chose.
            let mut json = String::from("{");
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                json.push_str(&serde_json::to_string(key).unwrap());
                json.push(':');
                json.push_str(&value.to_string());
            }
            json.push('}');
            let packed = pack(&json).unwrap();
            prop_assert_eq!(unpack(&packed).unwrap(), json);
        }
    }
}
