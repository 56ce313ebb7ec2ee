//! Giving everything back out: a pack as it is in the collection, written in the pack format
//! (re-importable, and checked to be before it is written), and the review log as CSV in the
//! layout FSRS tools read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use crate::content::flash::{FlashEntry, FlashKind, TextFormat};
use crate::content::{Area, Lesson, Level, Manifest, Pack, QuestionKind, Term, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::store::{packs, revlog};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub path: String,
    pub items: u64,
}

fn read_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::corrupt(format!("{what} in the collection cannot be read: {e}")))
}

/// The pack `id` as the collection holds it now.
pub fn pack_from_collection(conn: &Connection, id: &str) -> Result<Pack> {
    let row = packs::stored_manifest(conn, id)?;
    let (name, version, manifest) = row.ok_or_else(|| Error::unknown_pack(id))?;
    let manifest = match manifest {
        Some(json) => read_json("a pack manifest", &json)?,
        // Installed before manifests were kept.
        None => Manifest {
            format: FORMAT_VERSION,
            id: id.to_owned(),
            name,
            version,
            author: String::new(),
            license: String::new(),
            description: String::new(),
        },
    };
    let areas: Vec<Area> = packs::area_fields(conn, id)?
        .iter()
        .map(|f| read_json::<Area>("an area", f))
        .collect::<Result<_>>()?;
    let mut terms: Vec<Term> = packs::term_fields(conn, id)?
        .iter()
        .map(|f| read_json::<Term>("a term", f))
        .collect::<Result<_>>()?;
    let mut areas: Vec<Area> = areas;
    areas_for_labels(&mut areas, &mut terms);
    // The learner's tags travel with the notes (the pack's are in their fields already).
    for term in &mut terms {
        let note = crate::ids::NoteId::derive(id, &term.id);
        merge_tags(&mut term.tags, crate::store::tags::of_note(conn, note)?);
    }
    let lessons = packs::lesson_fields(conn, id)?
        .iter()
        .map(|f| read_json::<Lesson>("a lesson", f))
        .collect::<Result<_>>()?;
    let flash = packs::flash_notes(conn, id)?
        .into_iter()
        .map(|(key, fields, cards)| {
            let mut cards: Vec<String> = read_json("a flash note's cards", &cards)?;
            cards.sort();
            let mut note: crate::content::flash::FlashNote = read_json("a flash note", &fields)?;
            let tags = crate::store::tags::of_note(conn, crate::ids::NoteId::derive(id, &key))?;
            merge_tags(&mut note.tags, tags);
            Ok(FlashEntry { key, note, cards })
        })
        .collect::<Result<_>>()?;
    let media = packs::media(conn, id)?;
    Ok(Pack {
        manifest,
        areas,
        terms,
        lessons,
        flash,
        media,
        content_hash: String::new(),
    })
}

/// Adds the tags of `more` that `tags` lacks.
fn merge_tags(tags: &mut Vec<String>, more: Vec<String>) {
    for tag in more {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
}

/// Terms the learner wrote name their area by a free label: the pack gets an area for each
/// label (an id made from it), so the export loads as a pack.
fn areas_for_labels(areas: &mut Vec<Area>, terms: &mut [Term]) {
    for term in terms.iter_mut() {
        if areas.iter().any(|a| a.id == term.area) {
            continue;
        }
        let label = term.area.trim();
        let name = if label.is_empty() { "General" } else { label };
        let id = crate::content::slug(name, "general");
        if !areas.iter().any(|a| a.id == id) {
            areas.push(Area {
                id: id.clone(),
                name: name.to_owned(),
                description: String::new(),
            });
        }
        term.area = id;
    }
}

#[derive(Serialize)]
struct AreaFront<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct TermFront<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    definition: &'a str,
    area: &'a str,
    level: Level,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    lessons: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    see_also: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    sources: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
}

#[derive(Serialize)]
struct LessonFront<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    level: Level,
    tags: &'a [String],
    terms: &'a [String],
}

#[derive(Serialize)]
struct QuestionOut<'a> {
    id: &'a str,
    kind: QuestionKind,
    prompt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correct: Option<&'a [usize]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<bool>,
    explanation: &'a str,
}

#[derive(Serialize)]
struct QuizOut<'a> {
    questions: Vec<QuestionOut<'a>>,
}

#[derive(Serialize)]
struct FlashOut<'a> {
    key: &'a str,
    kind: FlashKind,
    notetype: &'a str,
    deck: &'a str,
    tags: &'a [String],
    cards: &'a [String],
    front: &'a str,
    back: &'a str,
    #[serde(skip_serializing_if = "TextFormat::is_html")]
    format: TextFormat,
}

/// How much of a flash file's text is filled before the next note starts another. A pack's text
/// file may be 1 MiB, and one note (two fields of at most 64 KiB, escaped) always fits alone.
const FLASH_FILE_BYTES: usize = 256 << 10;

fn document(front: &impl Serialize, body: &str) -> Vec<u8> {
    let front = toml::to_string(front).expect("front matter serializes");
    format!("+++\n{front}+++\n\n{body}\n").into_bytes()
}

/// The files of `pack` in the pack format.
pub fn pack_files(pack: &Pack) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(
        "pack.toml".to_owned(),
        toml::to_string(&pack.manifest)
            .expect("manifests serialize")
            .into_bytes(),
    );
    for area in &pack.areas {
        let front = AreaFront {
            id: &area.id,
            name: &area.name,
        };
        files.insert(
            format!("areas/{}.md", area.id),
            document(&front, &area.description),
        );
    }
    for t in &pack.terms {
        let front = TermFront {
            id: &t.id,
            name: &t.name,
            aliases: &t.aliases,
            definition: &t.definition,
            area: &t.area,
            level: t.level,
            lessons: &t.lessons,
            see_also: &t.see_also,
            sources: &t.sources,
            tags: &t.tags,
        };
        files.insert(
            format!("terms/{}.md", t.id),
            document(&front, &t.explanation),
        );
    }
    for l in &pack.lessons {
        let front = LessonFront {
            id: &l.id,
            title: &l.title,
            summary: &l.summary,
            level: l.level,
            tags: &l.tags,
            terms: &l.terms,
        };
        files.insert(format!("lessons/{}.md", l.id), document(&front, &l.body));
        let quiz = QuizOut {
            questions: l
                .questions
                .iter()
                .map(|q| {
                    let tf = q.kind == QuestionKind::TrueFalse;
                    QuestionOut {
                        id: &q.id,
                        kind: q.kind,
                        prompt: &q.prompt,
                        options: (!tf).then_some(q.options.as_slice()),
                        correct: (!tf).then_some(q.correct.as_slice()),
                        answer: tf.then(|| q.correct == [0]),
                        explanation: &q.explanation,
                    }
                })
                .collect(),
        };
        files.insert(
            format!("lessons/{}.quiz.toml", l.id),
            toml::to_string(&quiz)
                .expect("quizzes serialize")
                .into_bytes(),
        );
    }
    // Many notes to a file, numbered in order: a large deck in a file per note would pass the
    // pack's limit on files, and keys (Anki guids) may hold characters a file name cannot.
    let mut chunks = vec![String::new()];
    for f in &pack.flash {
        let out = FlashOut {
            key: &f.key,
            kind: f.note.kind,
            notetype: &f.note.notetype,
            deck: &f.note.deck,
            tags: &f.note.tags,
            cards: &f.cards,
            front: &f.note.front,
            back: &f.note.back,
            format: f.note.format,
        };
        let note = toml::to_string(&out).expect("flash notes serialize");
        let chunk = chunks.last_mut().expect("one at least");
        if !chunk.is_empty() && chunk.len() + note.len() > FLASH_FILE_BYTES {
            chunks.push(String::new());
        }
        let chunk = chunks.last_mut().expect("one at least");
        chunk.push_str("[[notes]]\n");
        chunk.push_str(&note);
        chunk.push('\n');
    }
    for (i, chunk) in chunks.into_iter().filter(|c| !c.is_empty()).enumerate() {
        files.insert(format!("flash/{:05}.toml", i + 1), chunk.into_bytes());
    }
    for (path, data) in &pack.media {
        files.insert(path.clone(), data.clone());
    }
    files
}

/// Writes the pack `id` to a zip at `dest` (the pack in one folder named after its id). The zip
/// is read back as an import reads it, with the same limits, before it takes its name: what is
/// written imports again, or nothing is written.
pub fn export_pack(conn: &Connection, id: &str, dest: &Path) -> Result<Exported> {
    let files = pack_files(&pack_from_collection(conn, id)?);
    let items = files.len() as u64;
    // Owned by the writer, so the files are freed before the zip is read back.
    let write = move |out: &mut std::io::BufWriter<std::fs::File>| {
        let mut zip = zip::ZipWriter::new(out);
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in &files {
            zip.start_file(format!("{id}/{name}"), options)
                .map_err(std::io::Error::other)?;
            zip.write_all(bytes)?;
        }
        zip.finish().map_err(std::io::Error::other)?;
        Ok(())
    };
    let loads = |written: &Path| match crate::import::load_zip(written) {
        Ok(_) => Ok(()),
        Err(Error::Import { message, .. }) => Err(Error::invalid(
            "pack",
            format!(
                "{id} cannot be exported as a pack that imports again: {message}; a backup \
                 (`reprise backup FILE`) keeps all of it"
            ),
        )),
        Err(e) => Err(e),
    };
    write_new(dest, write, loads)?;
    Ok(Exported {
        path: dest.display().to_string(),
        items,
    })
}

/// Writes the review log as CSV: `card_id,review_time,review_rating,review_state,review_duration`
/// (time in Unix milliseconds, state before the answer: 0 new, 1 learning, 2 review,
/// 3 relearning; duration in milliseconds), oldest first — the layout the FSRS optimizer reads.
pub fn export_revlog(conn: &Connection, dest: &Path) -> Result<Exported> {
    let mut rows = 0;
    write_new(
        dest,
        |out| {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record([
                "card_id",
                "review_time",
                "review_rating",
                "review_state",
                "review_duration",
            ])?;
            revlog::each_for_fsrs(conn, |values| {
                csv.write_record(values.map(|v| v.to_string()))?;
                rows += 1;
                Ok(())
            })?;
            csv.flush()?;
            Ok(())
        },
        |_| Ok(()),
    )?;
    Ok(Exported {
        path: dest.display().to_string(),
        items: rows,
    })
}

/// Writes a new file through a temporary name, renamed when complete and accepted by `check`:
/// an export is never a half-written file, and never replaces one.
fn write_new(
    dest: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    check: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    if dest.exists() {
        return Err(Error::invalid(
            "file",
            format!(
                "{} exists already; choose another file name",
                dest.display()
            ),
        ));
    }
    let partial = dest.with_extension("partial");
    let io = |e| Error::io(&partial, e);
    let file = std::fs::File::create(&partial).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    let written = fill(&mut out).and_then(|()| out.flush());
    let done = written.and_then(|()| out.get_ref().sync_all());
    if let Err(e) = done {
        let _ = std::fs::remove_file(&partial);
        return Err(io(e));
    }
    drop(out);
    if let Err(e) = check(&partial) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, dest).map_err(|e| Error::io(dest, e))
}
