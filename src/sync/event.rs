//! Events: what one device did, as every other device reads it. An event is a protobuf record
//! ([`wire`]) with its id, author, clocks and one body; segments carry them length-delimited,
//! and `sync_events.body` keeps the exact bytes, so an event of a kind this version does not
//! know is kept and passed on unchanged.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;
use crate::schedule::{Rating, Schedule};

/// A device, by the random id it gave itself when sync was first turned on.
pub type DeviceId = Uuid;

#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// A lesson's quiz taken (at the event's time): kept by every device, and the first one
    /// finishes the lesson there too.
    QuizAttempt {
        pack: String,
        lesson: String,
        correct: u32,
        total: u32,
    },
    /// New scheduling settings (FSRS parameters, desired retention, maximum interval) were
    /// adopted here: every card's memory is recomputed from its answers and its due date from
    /// its memory, at this point of its fold, with the settings the registers hold.
    Reschedule,
    /// A register write: the last writer (by `hlc`, then device) wins.
    Register {
        scope: Scope,
        key: String,
        value: Value,
    },
}

/// What a register holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Key: the card id; value: whether the learner suspended it.
    Suspended,
    /// Key: `note-id tag`; value: whether the note has the tag.
    Tag,
    /// Key: the setting's name; value: its value.
    Setting,
    /// Key: the card id; value: until when the card is buried (Unix milliseconds), or null.
    Buried,
    /// Key: an imported pack's id; value: the file it was imported from,
    /// `{"blob": blake3 hex, "file": name}`, or `{"removed": true, "history": kept}`.
    Pack,
    /// Key: a pack's id; value: whether its cards are studied.
    PackEnabled,
    /// Key: a note id; value: the learner's version of the note — the whole note for their own
    /// notes, the fields they edited for a pack's — and the cards it asks, or that it was deleted
    /// ([`crate::notes::write::sync_value`]).
    Note,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Suspended => "suspended",
            Scope::Tag => "tag",
            Scope::Setting => "setting",
            Scope::Buried => "buried",
            Scope::Pack => "pack",
            Scope::PackEnabled => "pack_enabled",
            Scope::Note => "note",
        }
    }
}

impl Body {
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Review { .. } => "review",
            Body::CardSet { .. } => "card_set",
            Body::Retract { .. } => "retract",
            Body::QuizAttempt { .. } => "quiz_attempt",
            Body::Register { .. } => "register",
            Body::Reschedule => "reschedule",
        }
    }

    /// The card whose fold this event belongs to.
    pub fn card(&self) -> Option<i64> {
        match self {
            Body::Review { card, .. } | Body::CardSet { card, .. } | Body::Retract { card, .. } => {
                Some(*card)
            }
            Body::QuizAttempt { .. } | Body::Register { .. } | Body::Reschedule => None,
        }
    }
}

/// What every event has, readable even when its kind is not.
#[derive(Debug)]
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
        wire::encode(self)
    }

    /// Reads an event; `Ok(None)` for a well-formed event of a kind this version does not know.
    pub fn decode(bytes: &[u8]) -> Result<(Envelope, Option<Event>)> {
        wire::decode(bytes)
    }
}

/// The bytes of an event. Protobuf: compact (a review is about 110 bytes before compression),
/// and a field or kind added later is skipped by an older reader instead of failing it.
mod wire {
    use prost::Message;
    use serde_json::Value;
    use uuid::Uuid;

    use super::{Body, Envelope, Event, Scope};
    use crate::error::{Error, Result};
    use crate::schedule::{CardState, Memory, Rating, Schedule};

    #[derive(Clone, PartialEq, Message)]
    struct Record {
        #[prost(bytes = "vec", tag = "1")]
        id: Vec<u8>,
        #[prost(bytes = "vec", tag = "2")]
        device: Vec<u8>,
        #[prost(uint64, tag = "3")]
        hlc: u64,
        #[prost(int64, tag = "4")]
        at: i64,
        #[prost(sint32, tag = "5")]
        tz_min: i32,
        #[prost(oneof = "Kind", tags = "10, 11, 12, 13, 14, 15")]
        kind: Option<Kind>,
    }

    #[derive(Clone, PartialEq, prost::Oneof)]
    enum Kind {
        #[prost(message, tag = "10")]
        Review(Review),
        #[prost(message, tag = "11")]
        CardSet(CardSet),
        #[prost(message, tag = "12")]
        Retract(Retract),
        #[prost(message, tag = "13")]
        Register(Register),
        #[prost(message, tag = "14")]
        QuizAttempt(QuizAttempt),
        #[prost(message, tag = "15")]
        Reschedule(Reschedule),
    }

    #[derive(Clone, PartialEq, Message)]
    struct Reschedule {}

    #[derive(Clone, PartialEq, Message)]
    struct QuizAttempt {
        #[prost(string, tag = "1")]
        pack: String,
        #[prost(string, tag = "2")]
        lesson: String,
        #[prost(uint32, tag = "3")]
        correct: u32,
        #[prost(uint32, tag = "4")]
        total: u32,
    }

    #[derive(Clone, PartialEq, Message)]
    struct Review {
        #[prost(int64, tag = "1")]
        card: i64,
        #[prost(uint32, tag = "2")]
        rating: u32,
        #[prost(uint32, tag = "3")]
        duration_ms: u32,
        /// Empty: none.
        #[prost(bytes = "vec", tag = "4")]
        parent: Vec<u8>,
        #[prost(message, optional, tag = "5")]
        outcome: Option<Outcome>,
    }

    #[derive(Clone, PartialEq, Message)]
    struct CardSet {
        #[prost(int64, tag = "1")]
        card: i64,
        #[prost(bytes = "vec", tag = "2")]
        parent: Vec<u8>,
        #[prost(message, optional, tag = "3")]
        schedule: Option<Outcome>,
    }

    #[derive(Clone, PartialEq, Message)]
    struct Retract {
        #[prost(int64, tag = "1")]
        card: i64,
        #[prost(bytes = "vec", tag = "2")]
        event: Vec<u8>,
    }

    #[derive(Clone, PartialEq, Message)]
    struct Register {
        /// 1 suspended, 2 tag, 3 setting, 4 buried, 5 pack, 6 pack enabled.
        #[prost(uint32, tag = "1")]
        scope: u32,
        #[prost(string, tag = "2")]
        key: String,
        /// JSON.
        #[prost(string, tag = "3")]
        value: String,
    }

    /// A schedule; instants in Unix milliseconds.
    #[derive(Clone, PartialEq, Message)]
    struct Outcome {
        #[prost(uint32, tag = "1")]
        state: u32,
        #[prost(float, optional, tag = "2")]
        stability: Option<f32>,
        #[prost(float, optional, tag = "3")]
        difficulty: Option<f32>,
        #[prost(uint32, tag = "4")]
        step: u32,
        #[prost(int64, optional, tag = "5")]
        due: Option<i64>,
        #[prost(double, tag = "6")]
        interval_days: f64,
        #[prost(int64, optional, tag = "7")]
        last_review: Option<i64>,
        #[prost(uint32, tag = "8")]
        reps: u32,
        #[prost(uint32, tag = "9")]
        lapses: u32,
    }

    fn outcome(s: &Schedule) -> Outcome {
        Outcome {
            state: s.state.to_i64() as u32,
            stability: s.memory.map(|m| m.stability),
            difficulty: s.memory.map(|m| m.difficulty),
            step: s.step,
            due: s.due.map(|d| d.timestamp_millis()),
            interval_days: s.interval_days,
            last_review: s.last_review.map(|d| d.timestamp_millis()),
            reps: s.reps,
            lapses: s.lapses,
        }
    }

    fn schedule(o: Option<Outcome>) -> std::result::Result<Schedule, String> {
        let o = o.ok_or("no schedule")?;
        let instant = |ms: Option<i64>| {
            ms.map(|ms| {
                chrono::DateTime::from_timestamp_millis(ms).ok_or("an instant out of range")
            })
            .transpose()
        };
        Ok(Schedule {
            state: CardState::from_i64(i64::from(o.state)).ok_or("an unknown card state")?,
            memory: match (o.stability, o.difficulty) {
                (Some(stability), Some(difficulty)) => Some(Memory {
                    stability,
                    difficulty,
                }),
                _ => None,
            },
            step: o.step,
            due: instant(o.due)?,
            interval_days: o.interval_days,
            last_review: instant(o.last_review)?,
            reps: o.reps,
            lapses: o.lapses,
        })
    }

    fn id(bytes: &[u8]) -> std::result::Result<Uuid, String> {
        Uuid::from_slice(bytes).map_err(|_| "an id that is not 16 bytes".to_string())
    }

    fn parent(bytes: &[u8]) -> std::result::Result<Option<Uuid>, String> {
        (!bytes.is_empty()).then(|| id(bytes)).transpose()
    }

    pub fn encode(e: &Event) -> Vec<u8> {
        let kind = match &e.body {
            Body::Review {
                card,
                rating,
                duration_ms,
                parent,
                outcome: o,
            } => Kind::Review(Review {
                card: *card,
                rating: rating.number() as u32,
                duration_ms: *duration_ms,
                parent: parent.map(|p| p.as_bytes().to_vec()).unwrap_or_default(),
                outcome: Some(outcome(o)),
            }),
            Body::CardSet {
                card,
                parent,
                schedule: s,
            } => Kind::CardSet(CardSet {
                card: *card,
                parent: parent.map(|p| p.as_bytes().to_vec()).unwrap_or_default(),
                schedule: Some(outcome(s)),
            }),
            Body::Retract { card, event } => Kind::Retract(Retract {
                card: *card,
                event: event.as_bytes().to_vec(),
            }),
            Body::QuizAttempt {
                pack,
                lesson,
                correct,
                total,
            } => Kind::QuizAttempt(QuizAttempt {
                pack: pack.clone(),
                lesson: lesson.clone(),
                correct: *correct,
                total: *total,
            }),
            Body::Register { scope, key, value } => Kind::Register(Register {
                scope: match scope {
                    Scope::Suspended => 1,
                    Scope::Tag => 2,
                    Scope::Setting => 3,
                    Scope::Buried => 4,
                    Scope::Pack => 5,
                    Scope::PackEnabled => 6,
                    Scope::Note => 7,
                },
                key: key.clone(),
                value: value.to_string(),
            }),
            Body::Reschedule => Kind::Reschedule(Reschedule {}),
        };
        Record {
            id: e.id.as_bytes().to_vec(),
            device: e.device.as_bytes().to_vec(),
            hlc: e.hlc,
            at: e.at,
            tz_min: e.tz_min,
            kind: Some(kind),
        }
        .encode_to_vec()
    }

    pub fn decode(bytes: &[u8]) -> Result<(Envelope, Option<Event>)> {
        let corrupt = |why: String| Error::corrupt(format!("a sync event cannot be read: {why}"));
        let record = Record::decode(bytes).map_err(|e| corrupt(e.to_string()))?;
        let envelope = Envelope {
            id: id(&record.id).map_err(corrupt)?,
            device: id(&record.device).map_err(corrupt)?,
            hlc: record.hlc,
            at: record.at,
            kind: match &record.kind {
                Some(Kind::Review(_)) => "review",
                Some(Kind::CardSet(_)) => "card_set",
                Some(Kind::Retract(_)) => "retract",
                Some(Kind::Register(_)) => "register",
                Some(Kind::QuizAttempt(_)) => "quiz_attempt",
                Some(Kind::Reschedule(_)) => "reschedule",
                None => "unknown",
            }
            .into(),
        };
        let body = match record.kind {
            None => return Ok((envelope, None)),
            Some(kind) => body(kind)
                .map_err(|why| corrupt(format!("{} ({}): {why}", envelope.id, envelope.kind)))?,
        };
        let Some(body) = body else {
            return Ok((envelope, None));
        };
        let event = Event {
            id: envelope.id,
            device: envelope.device,
            hlc: record.hlc,
            at: record.at,
            tz_min: record.tz_min,
            body,
        };
        Ok((envelope, Some(event)))
    }

    /// The body; `None` for a register of a scope this version does not know.
    fn body(kind: Kind) -> std::result::Result<Option<Body>, String> {
        Ok(Some(match kind {
            Kind::Review(r) => Body::Review {
                card: r.card,
                rating: Rating::from_number(i64::from(r.rating)).ok_or("an unknown rating")?,
                duration_ms: r.duration_ms,
                parent: parent(&r.parent)?,
                outcome: schedule(r.outcome)?,
            },
            Kind::CardSet(c) => Body::CardSet {
                card: c.card,
                parent: parent(&c.parent)?,
                schedule: schedule(c.schedule)?,
            },
            Kind::Retract(r) => Body::Retract {
                card: r.card,
                event: id(&r.event)?,
            },
            Kind::QuizAttempt(q) => Body::QuizAttempt {
                pack: q.pack,
                lesson: q.lesson,
                correct: q.correct,
                total: q.total,
            },
            Kind::Register(r) => Body::Register {
                scope: match r.scope {
                    1 => Scope::Suspended,
                    2 => Scope::Tag,
                    3 => Scope::Setting,
                    4 => Scope::Buried,
                    5 => Scope::Pack,
                    6 => Scope::PackEnabled,
                    7 => Scope::Note,
                    _ => return Ok(None),
                },
                key: r.key,
                value: serde_json::from_str::<Value>(&r.value)
                    .map_err(|e| format!("a register value that is not JSON: {e}"))?,
            },
            Kind::Reschedule(Reschedule {}) => Body::Reschedule,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{CardState, Memory};

    fn event(body: Body) -> Event {
        Event {
            id: Uuid::from_u128(7),
            device: Uuid::from_u128(9),
            hlc: 123 << 16,
            at: 1_764_000_000_000,
            tz_min: -300,
            body,
        }
    }

    #[test]
    fn every_kind_reads_back_as_written() {
        let schedule = Schedule {
            state: CardState::Review,
            memory: Some(Memory {
                stability: 12.5,
                difficulty: 4.25,
            }),
            step: 0,
            due: DateTime::from_timestamp_millis(1_765_000_000_000),
            interval_days: 12.0,
            last_review: DateTime::from_timestamp_millis(1_764_000_000_000),
            reps: 4,
            lapses: 1,
        };
        for body in [
            Body::Review {
                card: 42,
                rating: Rating::Hard,
                duration_ms: 4_000,
                parent: Some(Uuid::from_u128(3)),
                outcome: schedule.clone(),
            },
            Body::CardSet {
                card: 42,
                parent: None,
                schedule: Schedule::new_card(),
            },
            Body::Retract {
                card: 42,
                event: Uuid::from_u128(3),
            },
            Body::Register {
                scope: Scope::Setting,
                key: "new_per_day".into(),
                value: Value::from(12),
            },
            Body::QuizAttempt {
                pack: "reprise.k8s".into(),
                lesson: "pods".into(),
                correct: 3,
                total: 4,
            },
            Body::Reschedule,
        ] {
            let e = event(body);
            let (envelope, back) = Event::decode(&e.encode()).unwrap();
            assert_eq!(back.as_ref(), Some(&e));
            assert_eq!(envelope.kind, e.body.kind());
        }
    }

    #[test]
    fn a_kind_from_a_newer_version_is_kept_unread_and_garbage_is_refused() {
        // An event whose body is a field this version has no kind for (tag 20).
        let mut bytes = event(Body::Retract {
            card: 1,
            event: Uuid::from_u128(1),
        })
        .encode();
        let retract_at = bytes.len() - 22;
        bytes.truncate(retract_at);
        bytes.extend_from_slice(&[0xa2, 0x01, 0x02, 0x08, 0x01]);
        let (envelope, event) = Event::decode(&bytes).unwrap();
        assert_eq!((envelope.kind.as_str(), event), ("unknown", None));
        assert!(Event::decode(b"\xff\xff\xff").is_err());
    }
}
