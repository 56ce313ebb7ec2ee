//! A package's media: the list (`media`: JSON in old packages, zstd protobuf in new ones) and the
//! files it names, zip entries called `0`, `1`, …, zstd-compressed in new packages. Every file
//! is unpacked as a stream under a cap: its own size, its expansion, and all media together.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use prost::Message;

use super::limits::{
    LIMITS, MAX_MEDIA_FILE, MAX_MEDIA_LIST, MAX_MEDIA_RATIO, MAX_MEDIA_TOTAL, RATIO_FLOOR,
};
use super::{fail, proto};
use crate::error::Result;
use crate::import::Skipped;

pub const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// How far a zstd entry may expand: to `max` bytes, and past [`RATIO_FLOOR`] to `ratio` times
/// its compressed size.
#[derive(Clone, Copy)]
pub struct Cap {
    pub max: u64,
    pub ratio: u64,
}

impl Cap {
    /// The most `compressed` bytes may expand to, and the part of it the ratio allows.
    fn limit(self, compressed: usize) -> (u64, u64) {
        let by_ratio = (compressed as u64)
            .saturating_mul(self.ratio)
            .max(RATIO_FLOOR);
        (self.max.min(by_ratio), by_ratio)
    }
}

/// The window a zstd frame asks its decoder to keep (its content size, for a single-segment
/// frame), read from the frame header; `None` if the header is cut short.
fn window_size(frame: &[u8]) -> Option<u64> {
    let descriptor = *frame.get(4)?;
    let single_segment = descriptor & 0x20 != 0;
    if !single_segment {
        let window = *frame.get(5)?;
        let base = 1u64 << (10 + (window >> 3));
        return Some(base + base / 8 * u64::from(window & 7));
    }
    let dictionary = [0, 1, 2, 4][usize::from(descriptor & 3)];
    let size_len = [1, 2, 4, 8][usize::from(descriptor >> 6)];
    let at = 5 + dictionary;
    let field = frame.get(at..at + size_len)?;
    let mut le = [0u8; 8];
    le[..size_len].copy_from_slice(field);
    let size = u64::from_le_bytes(le);
    Some(if size_len == 2 { size + 256 } else { size })
}

/// The most a decoder may keep as its window when the output cap is smaller: what usual
/// compression levels use.
const MAX_SMALL_WINDOW: u64 = 8 << 20;

/// Decompresses a zstd entry as a stream, never holding more than the cap allows: `None` if it
/// is larger than `cap.max`, an error if it expands past `cap.ratio` (a bomb) or is corrupt.
/// The decoder keeps the frame's whole window, so a window larger than the cap (or than
/// [`MAX_SMALL_WINDOW`]) is refused before decoding.
pub fn unzstd(file: &Path, entry: &str, bytes: &[u8], cap: Cap) -> Result<Option<Vec<u8>>> {
    // Reserved up to what the entry may expand to, not to what its header claims.
    let expected = window_size(bytes)
        .unwrap_or(0)
        .min(cap.limit(bytes.len()).0);
    let mut out = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    let size = unzstd_into(file, entry, bytes, cap, &mut |chunk| {
        out.extend_from_slice(chunk);
        Ok(())
    })?;
    Ok(size.map(|_| out))
}

/// [`unzstd`], handing the output to `out` a piece at a time: the number of bytes it took, or
/// `None` if the entry is larger than `cap.max` (`out` has had up to `cap.max + 1` bytes then).
pub fn unzstd_into(
    file: &Path,
    entry: &str,
    bytes: &[u8],
    cap: Cap,
    out: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<Option<u64>> {
    let (limit, by_ratio) = cap.limit(bytes.len());
    let window = window_size(bytes).unwrap_or(0);
    if window > limit.max(MAX_SMALL_WINDOW) {
        return Err(fail(
            file,
            Some(entry),
            format!(
                "it asks for a {} MiB zstd window, more than the {} MiB it may unpack to, like a \
                 zip bomb; it was not unpacked",
                window >> 20,
                limit.max(MAX_SMALL_WINDOW) >> 20
            ),
        ));
    }
    // libzstd: three times the speed of the pure-Rust decoder on a 100k-note collection.
    let decoder = zstd::stream::read::Decoder::with_buffer(bytes).map_err(|e| {
        fail(
            file,
            Some(entry),
            format!("it is not valid zstd data ({e}); export it again"),
        )
    })?;
    let mut decoder = decoder.take(limit + 1);
    let mut piece = vec![0; 256 << 10];
    let mut written = 0;
    loop {
        let read = match decoder.read(&mut piece) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(fail(file, Some(entry), format!("it is corrupt ({e})"))),
        };
        out(&piece[..read])?;
        written += read as u64;
    }
    if written <= limit {
        return Ok(Some(written));
    }
    if limit == by_ratio {
        return Err(fail(
            file,
            Some(entry),
            format!(
                "it expands more than {}-fold (past {} MiB), like a zip bomb; it was not unpacked",
                cap.ratio,
                by_ratio >> 20
            ),
        ));
    }
    Ok(None)
}

/// A media file name that is just a name: no folders, no `..`, nothing hidden in it.
fn media_name_is_safe(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0', ':'])
}

/// The (zip entry, file name) pairs of the media list.
fn media_list(path: &Path, list: &[u8]) -> Result<Vec<(String, String)>> {
    if list.starts_with(&ZSTD_MAGIC) {
        let cap = Cap {
            max: MAX_MEDIA_LIST,
            ratio: MAX_MEDIA_RATIO,
        };
        let list = unzstd(path, "media", list, cap)?.ok_or_else(|| {
            fail(
                path,
                Some("media"),
                format!("the media list is larger than {} MiB", MAX_MEDIA_LIST >> 20),
            )
        })?;
        let list = proto::MediaEntries::decode(list.as_slice()).map_err(|e| {
            fail(
                path,
                Some("media"),
                format!("the media list cannot be read ({e})"),
            )
        })?;
        return Ok(list
            .entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let entry = e.legacy_zip_filename.map_or(i as u32, |n| n);
                (entry.to_string(), e.name)
            })
            .collect());
    }
    let map: HashMap<String, String> = serde_json::from_slice(list).map_err(|e| {
        fail(
            path,
            Some("media"),
            format!("the media list is not the JSON object Anki writes ({e})"),
        )
    })?;
    let mut names: Vec<_> = map.into_iter().collect();
    names.sort();
    Ok(names)
}

/// The caps on a package's media.
#[derive(Clone, Copy)]
pub struct MediaCaps {
    /// One file, unpacked; a larger one is left out.
    pub file: u64,
    /// All files, unpacked; past it the package is refused.
    pub total: u64,
    /// Names in the media list.
    pub names: usize,
}

pub const MEDIA_CAPS: MediaCaps = MediaCaps {
    file: MAX_MEDIA_FILE,
    total: MAX_MEDIA_TOTAL,
    names: LIMITS.max_entries,
};

/// The media files the list names, by name; what cannot be kept is reported in `skipped`.
pub fn read_media(
    path: &Path,
    layout: &str,
    entries: &mut HashMap<String, Vec<u8>>,
    skipped: &mut Vec<Skipped>,
    caps: MediaCaps,
) -> Result<BTreeMap<String, Vec<u8>>> {
    let Some(list) = entries.remove("media") else {
        return Ok(BTreeMap::new());
    };
    let names = media_list(path, &list)?;
    drop(list);
    if names.len() > caps.names {
        return Err(fail(
            path,
            Some("media"),
            format!(
                "the media list names {} files, more than the {} a package may hold",
                names.len(),
                caps.names
            ),
        ));
    }
    let mut media = BTreeMap::new();
    let mut total = 0u64;
    for (entry, name) in names {
        let mut leave_out = |reason: String| {
            skipped.push(Skipped {
                entry: format!("media '{name}'"),
                reason,
            })
        };
        let extension = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if !crate::content::MEDIA_EXTENSIONS.contains(&extension.as_str()) {
            leave_out(format!(
                "Reprise shows images and sounds ({}); this kind of file was left out",
                crate::content::MEDIA_EXTENSIONS.join(", ")
            ));
            continue;
        }
        if !media_name_is_safe(&name) {
            leave_out("its name is not a plain file name; it was left out".into());
            continue;
        }
        let Some(bytes) = entries.remove(&entry) else {
            leave_out(format!("the package lists it but holds no entry '{entry}'"));
            continue;
        };
        let room = caps.total - total;
        let cap = Cap {
            max: caps.file.min(room),
            ratio: MAX_MEDIA_RATIO,
        };
        let bytes = if layout == "anki21b" && bytes.starts_with(&ZSTD_MAGIC) {
            unzstd(path, &entry, &bytes, cap)?
        } else {
            Some(bytes).filter(|b| b.len() as u64 <= cap.max)
        };
        let Some(bytes) = bytes else {
            if room < caps.file {
                return Err(fail(
                    path,
                    Some(&entry),
                    format!(
                        "its media unpack to more than {} MiB in all; split the deck, or leave \
                         out large sounds",
                        caps.total >> 20
                    ),
                ));
            }
            leave_out(format!(
                "it is larger than the {} MiB a media file may be; it was left out",
                caps.file >> 20
            ));
            continue;
        };
        total += bytes.len() as u64;
        media.insert(name, bytes);
    }
    Ok(media)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zstd(bytes: &[u8]) -> Vec<u8> {
        ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
    }

    /// A package's entries: a JSON media list naming `files` as `0`, `1`, …, and the files.
    fn package(files: &[Vec<u8>]) -> HashMap<String, Vec<u8>> {
        let list: HashMap<String, String> = (0..files.len())
            .map(|i| (i.to_string(), format!("f{i}.png")))
            .collect();
        let mut entries: HashMap<String, Vec<u8>> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (i.to_string(), zstd(f)))
            .collect();
        entries.insert("media".into(), serde_json::to_vec(&list).unwrap());
        entries
    }

    const SMALL: MediaCaps = MediaCaps {
        file: 3 << 20,
        total: 5 << 20,
        names: 4,
    };

    fn read(
        files: &[Vec<u8>],
        caps: MediaCaps,
    ) -> (Result<BTreeMap<String, Vec<u8>>>, Vec<Skipped>) {
        let mut skipped = Vec::new();
        let out = read_media(
            Path::new("deck.apkg"),
            "anki21b",
            &mut package(files),
            &mut skipped,
            caps,
        );
        (out, skipped)
    }

    /// Bytes that zstd cannot shrink: no bomb, just large.
    fn noise(len: usize) -> Vec<u8> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn a_media_file_over_its_cap_is_left_out_and_the_rest_kept() {
        let (media, skipped) = read(&[noise(4 << 20), noise(1000)], SMALL);
        let media = media.unwrap();
        assert_eq!(media.keys().collect::<Vec<_>>(), ["f1.png"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].entry, "media 'f0.png'");
        assert!(
            skipped[0].reason.contains("larger than the 3 MiB"),
            "{skipped:?}"
        );
    }

    #[test]
    fn media_past_the_total_cap_refuse_the_package() {
        let files = vec![noise(2 << 20), noise(2 << 20), noise(2 << 20)];
        let message = read(&files, SMALL).0.unwrap_err().to_string();
        assert!(message.contains("(entry '2')"), "{message}");
        assert!(message.contains("more than 5 MiB in all"), "{message}");
    }

    #[test]
    fn a_zstd_bomb_stops_at_its_ratio_cap() {
        let bomb = zstd(&vec![0u8; 16 << 20]);
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        let mut entries = HashMap::from([("0".to_owned(), bomb.clone())]);
        let cap = Cap {
            max: MEDIA_CAPS.file,
            ratio: MAX_MEDIA_RATIO,
        };
        let message = unzstd(
            Path::new("deck.apkg"),
            "0",
            &entries.remove("0").unwrap(),
            cap,
        )
        .unwrap_err()
        .to_string();
        // The stream is cut at the floor (1 MiB), not the 16 MiB it holds.
        assert!(
            message.contains("expands more than 20-fold (past 1 MiB)"),
            "{message}"
        );
        assert!(message.contains("like a zip bomb"), "{message}");
    }

    #[test]
    fn the_zstd_window_is_read_from_the_frame_header() {
        let window = window_size(&zstd(&noise(3 << 20))).unwrap();
        assert!((1 << 10..=MAX_SMALL_WINDOW).contains(&window), "{window}");
        // Single segment, a 2-byte content size (+256): the window is the content.
        let single = [0x28, 0xb5, 0x2f, 0xfd, 0x60, 0x10, 0x00];
        assert_eq!(window_size(&single), Some(256 + 16));
        // A frame whose header asks for a 1 GiB window (exponent 20) is refused before decoding.
        let mut huge = ZSTD_MAGIC.to_vec();
        huge.extend_from_slice(&[0x00, 20 << 3, 0, 0, 0]);
        assert_eq!(window_size(&huge), Some(1 << 30));
        let cap = Cap {
            max: MEDIA_CAPS.file,
            ratio: MAX_MEDIA_RATIO,
        };
        let message = unzstd(Path::new("deck.apkg"), "7", &huge, cap)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("asks for a 1024 MiB zstd window"),
            "{message}"
        );
    }

    #[test]
    fn a_media_list_naming_too_many_files_is_refused() {
        let files: Vec<Vec<u8>> = (0..5).map(|i| vec![i]).collect();
        let message = read(&files, SMALL).0.unwrap_err().to_string();
        assert!(
            message.contains("names 5 files, more than the 4"),
            "{message}"
        );
    }
}
