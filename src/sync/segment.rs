//! Segments: the immutable files a device writes its events into. A segment is
//! `RSEG` · format byte · header length (u32 LE) · header (JSON) · body length (u32 LE) ·
//! body (zstd of the events, each after its length as u32 LE) · blake3 of everything before it. A file that is short, or
//! whose hash does not match, is not complete yet (a sync tool still delivering it) and is
//! read again later.

use std::io::Read;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

const MAGIC: &[u8; 4] = b"RSEG";
const FORMAT: u8 = 1;
/// A segment's events unpacked may not exceed this: a hostile file cannot exhaust memory.
pub const MAX_UNPACKED: u64 = 64 << 20;
/// Events per segment written.
pub const MAX_EVENTS: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub collection: Uuid,
    pub device: Uuid,
    pub seq: i64,
    pub events: usize,
}

/// A segment's events as unpacked, each after its length: one buffer, not one allocation per
/// event (a joining device holds every segment it fetched, a million events).
#[derive(Debug, PartialEq, Eq)]
pub struct Events(Vec<u8>);

impl Events {
    /// Each event's bytes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let mut rest = &self.0[..];
        std::iter::from_fn(move || {
            let (event, after) = take_sized(rest)?;
            rest = after;
            Some(event)
        })
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The events' size, encoded.
    pub fn bytes(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug)]
pub enum Decoded {
    /// Complete and checked: the header, the events, and the file's hash.
    Complete(Header, Events, [u8; 32]),
    /// Not (yet) a whole segment.
    Incomplete,
    /// Whole, but not a segment this version can read, or of another collection.
    Unreadable(String),
}

/// The file for `events` (each an encoded event).
pub fn encode(header: &Header, events: &[Vec<u8>]) -> Vec<u8> {
    let header_json = serde_json::to_vec(header).expect("a header serializes");
    let mut records = Vec::new();
    for e in events {
        records.extend_from_slice(&(e.len() as u32).to_le_bytes());
        records.extend_from_slice(e);
    }
    let body = ruzstd::encoding::compress_to_vec(
        &records[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let mut out = Vec::with_capacity(body.len() + header_json.len() + 48);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT);
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_json);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    let hash = blake3::hash(&out);
    out.extend_from_slice(hash.as_bytes());
    out
}

/// Reads a segment file's bytes.
pub fn decode(bytes: &[u8]) -> Decoded {
    let Some((content, trailer)) = bytes.split_last_chunk::<32>() else {
        return Decoded::Incomplete;
    };
    if blake3::hash(content).as_bytes() != trailer {
        return Decoded::Incomplete;
    }
    let hash = *trailer;
    let Some(rest) = content.strip_prefix(MAGIC) else {
        return Decoded::Unreadable("not a Reprise segment".into());
    };
    let Some((&format, rest)) = rest.split_first() else {
        return Decoded::Unreadable("no format".into());
    };
    if format != FORMAT {
        return Decoded::Unreadable(format!(
            "segment format {format}: written by a newer Reprise"
        ));
    }
    let Some((header, rest)) = take_sized(rest) else {
        return Decoded::Unreadable("the header is cut short".into());
    };
    let header: Header = match serde_json::from_slice(header) {
        Ok(h) => h,
        Err(e) => return Decoded::Unreadable(format!("the header cannot be read: {e}")),
    };
    let Some((body, rest)) = take_sized(rest) else {
        return Decoded::Unreadable("the body is cut short".into());
    };
    if !rest.is_empty() {
        return Decoded::Unreadable("bytes after the body".into());
    }
    let mut records = Vec::new();
    let decoder = match ruzstd::decoding::StreamingDecoder::new(body) {
        Ok(d) => d,
        Err(e) => return Decoded::Unreadable(format!("the body cannot be unpacked: {e}")),
    };
    if let Err(e) = decoder.take(MAX_UNPACKED + 1).read_to_end(&mut records) {
        return Decoded::Unreadable(format!("the body cannot be unpacked: {e}"));
    }
    if records.len() as u64 > MAX_UNPACKED {
        return Decoded::Unreadable(format!("its events unpack to over {MAX_UNPACKED} bytes"));
    }
    let (mut count, mut rest) = (0, &records[..]);
    while !rest.is_empty() {
        let Some((_, after)) = take_sized(rest) else {
            return Decoded::Unreadable("an event is cut short".into());
        };
        count += 1;
        rest = after;
    }
    if count != header.events {
        return Decoded::Unreadable(format!(
            "the header counts {} events, the body holds {count}",
            header.events
        ));
    }
    records.shrink_to_fit();
    Decoded::Complete(header, Events(records), hash)
}

fn take_sized(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = bytes.split_first_chunk::<4>()?;
    let len = u32::from_le_bytes(*len) as usize;
    (rest.len() >= len).then(|| rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            collection: Uuid::from_u128(1),
            device: Uuid::from_u128(2),
            seq: 7,
            events: 2,
        }
    }

    #[test]
    fn a_segment_reads_back_and_a_cut_or_changed_one_does_not() {
        let events = vec![b"{\"a\":1}".to_vec(), b"{\"b\":2}".to_vec()];
        let bytes = encode(&header(), &events);
        match decode(&bytes) {
            Decoded::Complete(h, e, _) => {
                assert_eq!(h, header());
                assert_eq!(e.iter().collect::<Vec<_>>(), events);
            }
            other => panic!("{other:?}"),
        }
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                matches!(decode(&bytes[..cut]), Decoded::Incomplete),
                "{cut}"
            );
        }
        let mut flipped = bytes.clone();
        flipped[12] ^= 1;
        assert!(matches!(decode(&flipped), Decoded::Incomplete));
    }

    #[test]
    fn a_header_that_lies_about_its_events_is_refused() {
        let bytes = encode(&header(), &[b"{}".to_vec()]);
        assert!(matches!(decode(&bytes), Decoded::Unreadable(_)));
    }
}
