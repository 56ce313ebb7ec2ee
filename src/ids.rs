//! Stable ids. A note's id is derived from its pack and its key inside the pack, and a card's
//! from its note and template, so reinstalling or updating a pack — or another device installing
//! it — gives the same ids and keeps the learner's progress.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Ids stay below 2^53 so they survive the trip through JavaScript numbers unchanged.
const JS_SAFE_MASK: u64 = (1 << 53) - 1;

fn stable_id(parts: &[&str]) -> i64 {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        // Length-prefix each part so ("ab","c") and ("a","bc") differ.
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let bytes: [u8; 8] = hasher.finalize().as_bytes()[..8]
        .try_into()
        .expect("8 bytes");
    // Never 0, so an id is never mistaken for "unset".
    ((u64::from_le_bytes(bytes) & JS_SAFE_MASK).max(1)) as i64
}

/// A note: one fact of a pack, which one or more cards ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct NoteId(pub i64);

/// A card: one question about a note, with its own schedule.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
pub struct CardId(pub i64);

/// A pack, by the id its manifest gives it (`reprise.k8s`); the same on every device.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct PackId(pub String);

impl PackId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for PackId {
    fn from(id: &str) -> Self {
        PackId(id.to_owned())
    }
}

impl From<String> for PackId {
    fn from(id: String) -> Self {
        PackId(id)
    }
}

impl std::str::FromStr for PackId {
    type Err = std::convert::Infallible;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        Ok(PackId::from(id))
    }
}

impl fmt::Display for PackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for PackId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for PackId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for NoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl NoteId {
    pub fn derive(pack_id: &str, note_key: &str) -> Self {
        NoteId(stable_id(&["note", pack_id, note_key]))
    }
}

impl CardId {
    pub fn derive(note: NoteId, template: &str) -> Self {
        CardId(stable_id(&["card", &note.0.to_string(), template]))
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_and_js_safe() {
        let note = NoteId::derive("reprise.k8s", "kubernetes");
        assert_eq!(note, NoteId::derive("reprise.k8s", "kubernetes"));
        assert_ne!(note, NoteId::derive("reprise.k8s", "docker"));
        assert_ne!(note, NoteId::derive("other.pack", "kubernetes"));
        assert_ne!(
            NoteId::derive("ab", "c"),
            NoteId::derive("a", "bc"),
            "parts are length-prefixed"
        );
        let forward = CardId::derive(note, "forward");
        assert_ne!(forward, CardId::derive(note, "reverse"));
        assert!(forward.0 > 0 && forward.0 < (1 << 53));
    }
}
