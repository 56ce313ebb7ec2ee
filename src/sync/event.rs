//! Events: what one device did, as every other device reads it. An event is a JSON object with
//! its id, author, clocks and `kind`; segments carry them one per line, and `sync_events.body`
//! keeps the exact bytes, so an event this version cannot read is kept and passed on unchanged.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::schedule::{Rating, Schedule};

/// A device, by the random id it gave itself when sync was first turned on.
pub type DeviceId = Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: Uuid,
    pub device: DeviceId,
    /// Hybrid logical clock ([`super::hlc`]): orders writes to the same register.
    pub hlc: u64,
    /// Unix milliseconds on the author's clock: when the learner did it.
    pub at: i64,
    /// The author's UTC offset then, in minutes, so day boundaries replay as they were.
    pub tz_min: i32,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// An answer. `parent` is the card's last event in the author's fold; `outcome` is the
    /// schedule the author's scheduler gave.
    Review {
        card: i64,
        rating: Rating,
        duration_ms: u32,
        parent: Option<Uuid>,
        outcome: Schedule,
    },
    /// A schedule set by something other than an answer (reset, set due, a spread backlog,
    /// undo of one of those): adopted as it is.
    CardSet {
        card: i64,
        parent: Option<Uuid>,
        schedule: Schedule,
    },
    /// An answer taken back (undo after it was written out): hidden everywhere, forever.
    Retract { card: i64, event: Uuid },
    /// A register write: the last writer (by `hlc`, then device) wins.
    Register {
        scope: Scope,
        key: String,
        value: Value,
    },
}

/// What a register holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Key: the card id; value: whether the learner suspended it.
    Suspended,
    /// Key: `note-id tag`; value: whether the note has the tag.
    Tag,
    /// Key: the setting's name; value: its value.
    Setting,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Suspended => "suspended",
            Scope::Tag => "tag",
            Scope::Setting => "setting",
        }
    }
}

impl Body {
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Review { .. } => "review",
            Body::CardSet { .. } => "card_set",
            Body::Retract { .. } => "retract",
            Body::Register { .. } => "register",
        }
    }

    /// The card whose fold this event belongs to.
    pub fn card(&self) -> Option<i64> {
        match self {
            Body::Review { card, .. } | Body::CardSet { card, .. } | Body::Retract { card, .. } => {
                Some(*card)
            }
            Body::Register { .. } => None,
        }
    }
}

/// What every event has, readable even when its kind is not.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    pub id: Uuid,
    pub device: DeviceId,
    pub hlc: u64,
    pub at: i64,
    pub kind: String,
}

impl Event {
    pub fn at_local(&self) -> DateTime<FixedOffset> {
        let offset = FixedOffset::east_opt(self.tz_min * 60)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
        DateTime::<Utc>::from_timestamp_millis(self.at)
            .unwrap_or_default()
            .with_timezone(&offset)
    }

    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an event serializes")
    }

    /// Reads an event; `Ok(None)` for a well-formed event of a kind this version does not know.
    pub fn decode(bytes: &[u8]) -> Result<(Envelope, Option<Event>)> {
        let envelope: Envelope = serde_json::from_slice(bytes)
            .map_err(|e| Error::corrupt(format!("a sync event cannot be read: {e}")))?;
        let known = matches!(
            envelope.kind.as_str(),
            "review" | "card_set" | "retract" | "register"
        );
        if !known {
            return Ok((envelope, None));
        }
        let event: Event = serde_json::from_slice(bytes).map_err(|e| {
            Error::corrupt(format!(
                "sync event {} ({}) cannot be read: {e}",
                envelope.id, envelope.kind
            ))
        })?;
        Ok((envelope, Some(event)))
    }
}
