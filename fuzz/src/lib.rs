//! The checks every fuzz target runs, one function per reader of hostile input. Each takes the
//! raw bytes the fuzzer (or the stable proptest fallback, `tests/fuzz_fallback.rs`, which
//! includes this file as a module) made, feeds them to one of Reprise's readers, and panics only
//! if the reader panicked or broke an invariant: a refused input must come back as an `Err`.
//!
//! Readers that take a path get the bytes written to a file in a temporary folder kept per
//! thread, rewritten on every run. Each function returns whether the reader accepted the input
//! (for `render`: whether the text asks a cloze), which the fallback uses to check its seeds.
//!
//! Several files (a pack's, or the entries of an Anki package) travel in one input as a
//! *bundle*: each file starts on a line `%%%% <path>`, and its bytes run up to the next such
//! line. Text stays readable and mutable that way, in the seed corpus as in the fuzzer.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use reprise::content::flash::{
    cloze_depth, cloze_numbers_of, cloze_template, FlashEntry, FlashKind, FlashNote,
    MAX_CLOZE_DEPTH,
};
use reprise::content::render::{
    html_depth, html_with_media_to_safe_html, markdown_depth, markdown_to_safe_html,
    markdown_to_text, markdown_with_media_to_safe_html, too_deep, too_deep_markdown,
};
use reprise::content::{MemorySource, Pack};
use reprise::import::archive::{read_zip, Limits};
use reprise::import::{self, anki, Loaded};

/// What starts each file of a bundle, at the start of the input or of a line.
pub const BUNDLE_MARK: &[u8] = b"%%%% ";

/// The files of a bundle by path; a later file of the same path replaces an earlier one. Bytes
/// before the first mark are ignored.
pub fn decode_bundle(data: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut starts = Vec::new();
    if data.starts_with(BUNDLE_MARK) {
        starts.push(0);
    }
    let mut i = 0;
    while let Some(at) = find(&data[i..], b"\n%%%% ") {
        starts.push(i + at + 1);
        i += at + 1;
    }
    for (k, &start) in starts.iter().enumerate() {
        // The newline before the next mark belongs to the mark.
        let end = starts.get(k + 1).map_or(data.len(), |&next| next - 1);
        let record = &data[start + BUNDLE_MARK.len()..end.max(start + BUNDLE_MARK.len())];
        let (name, bytes) = match record.iter().position(|&b| b == b'\n') {
            Some(nl) => (&record[..nl], &record[nl + 1..]),
            None => (record, &[][..]),
        };
        files.insert(String::from_utf8_lossy(name).into_owned(), bytes.to_vec());
    }
    files
}

/// A bundle of `files`, as [`decode_bundle`] reads it.
pub fn encode_bundle(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, (name, bytes)) in files.iter().enumerate() {
        if k > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(BUNDLE_MARK);
        out.extend_from_slice(name.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(bytes);
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

thread_local! {
    static SCRATCH: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

/// `data` written to the file `name` in this thread's scratch folder.
fn scratch_file(name: &str, data: &[u8]) -> PathBuf {
    SCRATCH.with(|dir| {
        let mut dir = dir.borrow_mut();
        let dir = dir.get_or_insert_with(|| {
            tempfile::Builder::new()
                .prefix("reprise-fuzz")
                .tempdir()
                .expect("a temporary folder")
        });
        let path = dir.path().join(name);
        let mut file = std::fs::File::create(&path).expect("the scratch file");
        file.write_all(data).expect("written");
        path
    })
}

/// `files` as a zip with every entry stored (so the fuzzer's mutations of an entry reach the
/// reader of that entry instead of failing the zip's checksum).
pub fn stored_zip(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in files {
            zip.start_file(name.as_str(), options)
                .expect("an entry in memory");
            zip.write_all(bytes).expect("written to memory");
        }
        zip.finish().expect("finished in memory");
    }
    out.into_inner()
}

/// Every tag of sanitized HTML, checked for what the sanitizer must have removed: no script,
/// style, frame or object element, no event handler or style attribute, no `javascript:` or
/// `vbscript:` URL, and a `data:` URL only as an inlined image or sound. Sanitized HTML escapes
/// every `<` of its text, so each `<` starts a tag.
pub fn assert_safe_html(html: &str, what: &str) {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(at) = lower[i..].find('<') {
        i += at + 1;
        if bytes.get(i) == Some(&b'/') {
            continue;
        }
        let name_len = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &lower[i..i + name_len];
        assert!(
            name_len > 0,
            "{what}: a bare '<' in sanitized HTML at {i}: {html:?}"
        );
        assert!(
            !matches!(
                name,
                "script"
                    | "style"
                    | "iframe"
                    | "frame"
                    | "object"
                    | "embed"
                    | "svg"
                    | "math"
                    | "form"
                    | "base"
                    | "meta"
                    | "link"
            ),
            "{what}: <{name}> survived sanitizing: {html:?}"
        );
        i += name_len;
        // Attributes: name, or name="value" (the serializer always quotes with `"`).
        loop {
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                i += 1;
            }
            match bytes.get(i) {
                None => panic!("{what}: a tag is not closed: {html:?}"),
                Some(b'>') => break,
                _ => {}
            }
            let start = i;
            while bytes
                .get(i)
                .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
            {
                i += 1;
            }
            let attribute = &lower[start..i];
            assert!(
                !attribute.starts_with("on") && attribute != "style" && attribute != "srcdoc",
                "{what}: attribute {attribute} survived sanitizing: {html:?}"
            );
            if bytes.get(i) == Some(&b'=') {
                assert_eq!(bytes.get(i + 1), Some(&b'"'), "{what}: {html:?}");
                let value_start = i + 2;
                let value_len = lower[value_start..]
                    .find('"')
                    .unwrap_or_else(|| panic!("{what}: an unclosed attribute: {html:?}"));
                let value = lower[value_start..value_start + value_len].trim_start();
                let is_url = matches!(
                    attribute,
                    "href" | "src" | "cite" | "longdesc" | "action" | "poster" | "background"
                );
                // As a browser reads a URL: leading C0 controls and spaces dropped, tabs and
                // newlines removed anywhere; any other control character ends the scheme.
                let scheme: String = value
                    .trim_start_matches(|c: char| c <= ' ')
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .take(11)
                    .collect();
                assert!(
                    !is_url
                        || !scheme.starts_with("javascript:") && !scheme.starts_with("vbscript:"),
                    "{what}: a script URL survived sanitizing: {html:?}"
                );
                if is_url && scheme.starts_with("data:") {
                    // A media file inlined into an image or a player: an image or sound
                    // type, never a document. (An `<img>` naming a sound gets the sound's
                    // bytes: useless, harmless.)
                    let inlined = attribute == "src"
                        && matches!(name, "img" | "audio")
                        && (value.starts_with("data:image/") || value.starts_with("data:audio/"));
                    assert!(
                        inlined,
                        "{what}: a data: URL outside an inlined image: {html:?}"
                    );
                }
                i = value_start + value_len + 1;
            }
        }
    }
}

/// A media file for any name a text shows: small, so inlining it stays cheap.
fn any_media(name: &str) -> Option<Vec<u8>> {
    (!name.is_empty() && name.len() < 64).then(|| name.as_bytes().to_vec())
}

/// `pack_load`: a bundle of pack files, loaded. Loading must be deterministic and agree with
/// `Pack::content_hash`; a loaded pack's flash cards must all have a face, and its Markdown must
/// render to safe HTML with its own media inlined.
pub fn pack_load(data: &[u8]) -> bool {
    let files = decode_bundle(data);
    let source = MemorySource::new("fuzz", files.clone());
    let first = Pack::load(&source);
    let again = Pack::load(&MemorySource::new("fuzz", files));
    match (&first, &again) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "loading is not deterministic"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "nor are its errors"),
        _ => panic!("the same files loaded once and failed once"),
    }
    let Ok(pack) = first else { return false };
    assert_eq!(
        Pack::content_hash(&source).expect("a loaded pack can be hashed"),
        pack.content_hash
    );
    for entry in &pack.flash {
        assert!(
            entry.problems().is_empty(),
            "{}: loaded with problems",
            entry.key
        );
        for card in &entry.cards {
            let face = entry
                .note
                .face(card)
                .unwrap_or_else(|| panic!("{}: card {card} has no face", entry.key));
            for side in [face.prompt, face.answer] {
                let html = html_with_media_to_safe_html(&side, |name| {
                    pack.media.get(&format!("media/{name}")).cloned()
                });
                assert_safe_html(&html, "a flash card of a loaded pack");
            }
        }
    }
    let media = |path: &str| pack.media.get(path).map(|b| b.as_slice().into());
    let texts = (pack.areas.iter().map(|a| &a.description))
        .chain(pack.terms.iter().map(|t| &t.explanation))
        .chain(pack.lessons.iter().map(|l| &l.body));
    for text in texts {
        assert!(!too_deep_markdown(text), "loaded too deep");
        let html = markdown_with_media_to_safe_html(text, media);
        assert_safe_html(&html, "Markdown of a loaded pack");
    }
    true
}

/// `render`: the input as Markdown, as HTML, and as a flash note's front (the part before the
/// first NUL; the back is the rest), through every renderer and measure, as the app calls them:
/// text nested past the limits the loaders enforce is measured but not rendered. Sanitized
/// output must be safe; every cloze number the text asks must have a face.
pub fn render(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let (front, back) = text.split_once('\0').unwrap_or((&text, ""));

    let depth = html_depth(&text, usize::MAX);
    assert!(depth <= text.matches('<').count(), "deeper than its tags");
    let _ = markdown_depth(&text);
    let _ = markdown_to_text(&text);
    if !too_deep_markdown(&text) {
        assert_safe_html(&markdown_to_safe_html(&text), "markdown_to_safe_html");
    }
    if !too_deep(&text) {
        assert_safe_html(
            &html_with_media_to_safe_html(&text, any_media),
            "html_with_media_to_safe_html",
        );
    }

    let numbers = cloze_numbers_of(front);
    let depth = cloze_depth(front);
    assert_eq!(depth == 0, numbers.is_empty(), "depth {depth}, {numbers:?}");
    for kind in [FlashKind::Basic, FlashKind::Cloze] {
        let note = FlashNote {
            kind,
            notetype: "fuzz".into(),
            front: front.to_owned(),
            back: back.to_owned(),
            deck: "fuzz".into(),
            tags: vec![],
            format: Default::default(),
        };
        let cards: Vec<String> = match kind {
            FlashKind::Basic => vec!["forward".into(), "reverse".into()],
            FlashKind::Cloze => numbers
                .iter()
                .take(20)
                .map(|&n| cloze_template(n))
                .collect(),
        };
        let shown = depth <= MAX_CLOZE_DEPTH && !too_deep(front) && !too_deep(back);
        for card in &cards {
            let face = note.face(card);
            assert!(face.is_some(), "{kind:?} card {card} has no face");
            if let (Some(face), true) = (face, shown) {
                for side in [face.prompt, face.answer] {
                    if !too_deep(&side) {
                        let html = html_with_media_to_safe_html(&side, any_media);
                        assert_safe_html(&html, "a flash face");
                    }
                }
            }
        }
        let _ = FlashEntry {
            key: "fuzz".into(),
            note,
            cards,
        }
        .problems();
    }
    if depth <= MAX_CLOZE_DEPTH {
        let note = FlashNote {
            kind: FlashKind::Cloze,
            notetype: String::new(),
            front: front.to_owned(),
            back: String::new(),
            deck: String::new(),
            tags: vec![],
            format: Default::default(),
        };
        if let Some(n) = (0..=numbers.last().map_or(1, |&n| n.saturating_add(1)).min(50))
            .find(|n| !numbers.contains(n))
        {
            assert!(note.face(&cloze_template(n)).is_none(), "c{n} is not asked");
        }
    }
    !numbers.is_empty()
}

/// `zip`: the input as a `.zip` file. `read_zip` must keep every entry name inside the archive
/// and every size within the limits, or refuse; a zip it reads is then imported as a pack.
pub fn zip(data: &[u8]) -> bool {
    let path = scratch_file("input.zip", data);
    if let Ok(entries) = read_zip(&path, Limits::PACK) {
        assert!(entries.len() <= Limits::PACK.max_entries);
        let total: u64 = entries.iter().map(|e| e.bytes.len() as u64).sum();
        assert!(total <= Limits::PACK.max_total);
        for entry in &entries {
            let name = &entry.name;
            assert!(
                !name.is_empty()
                    && !name.starts_with('/')
                    && !name.contains(['\\', ':', '\0'])
                    && name.split('/').all(|p| !matches!(p, "" | "." | "..")),
                "unsafe entry name {name:?}"
            );
        }
    }
    match import::load(&path) {
        Ok(Loaded::Pack { .. }) => true,
        Err(_) => false,
        Ok(Loaded::Anki(_)) => panic!("a .zip read as an Anki package"),
    }
}

/// `csv`: the input as a `.csv` table. The preview and the import must agree: both refuse, or
/// the preview counts the terms the import makes and shows at most 8 of them.
pub fn csv(data: &[u8]) -> bool {
    let path = scratch_file("table.csv", data);
    let preview = import::preview_table(&path);
    let loaded = import::load(&path);
    match (preview, loaded) {
        (Ok(preview), Ok(Loaded::Pack { pack, skipped, .. })) => {
            assert!(matches!(preview.delimiter.as_str(), "," | ";" | "tab"));
            assert_eq!(preview.terms as usize, pack.terms.len());
            assert!(preview.sample.len() <= 8 && preview.sample.len() <= pack.terms.len());
            assert_eq!(preview.skipped.len(), skipped.len());
            for (row, term) in preview.sample.iter().zip(&pack.terms) {
                assert_eq!(row.term, term.name);
            }
            true
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string());
            false
        }
        (Ok(_), Ok(Loaded::Anki(_))) => panic!("a .csv read as an Anki package"),
        (preview, loaded) => panic!(
            "preview {:?} but import {:?}",
            preview.map(|_| ()),
            loaded.map(|_| ())
        ),
    }
}

thread_local! {
    static SCHEDULER: reprise::schedule::Scheduler =
        reprise::schedule::Scheduler::new(&reprise::Settings::default())
            .expect("the default settings are valid");
}

/// `anki`: the input as an `.apkg` — as it is if it looks like a zip (starts with `PK`),
/// otherwise a bundle of entries zipped (stored) first, so mutations reach the SQLite
/// collection, the media list and `meta` rather than the zip's checksums. A package read is
/// converted; every card it gives must have a face, and its HTML must be sanitized.
pub fn anki(data: &[u8]) -> bool {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        stored_zip(&decode_bundle(data))
    };
    let path = scratch_file("deck.apkg", &bytes);
    let Ok(package) = anki::read(&path) else {
        return false;
    };
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T12:00:00+01:00").expect("a date");
    let converted =
        SCHEDULER.with(|scheduler| package.convert(scheduler, now, &mut |_, _, _| Ok(())));
    let Ok(converted) = converted else {
        return false;
    };
    for note in &converted.notes {
        for card in &note.cards {
            assert!(
                note.note.face(&card.template).is_some(),
                "{}: card {} has no face",
                note.key,
                card.template
            );
        }
        assert_safe_html(&note.note.front, "an imported front");
        assert_safe_html(&note.note.back, "an imported back");
    }
    true
}
