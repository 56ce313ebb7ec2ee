//! Parsing and validating a pack. Text files are Markdown with TOML front matter between `+++`
//! lines; the body is the Markdown. All problems are collected, each with file and line.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::check::{check_lesson, check_manifest, check_media_refs, check_svg, check_term};
use super::flash_file;
use super::lesson::{self, Lesson, LessonFront, QuizFile};
use super::source::PackSource;
use super::{Area, Level, Manifest, Pack, Problem, Term};
use crate::error::Result;

pub(crate) const MANIFEST: &str = "pack.toml";
/// Files a pack may hold besides its content.
const ALLOWED_EXTRAS: [&str; 2] = ["README.md", "LICENSE"];
/// A pack's text files (a term, a lesson, a quiz, a flash note) are refused past this size.
pub const MAX_TEXT_FILE_BYTES: usize = 1 << 20;
const QUIZ_SUFFIX: &str = ".quiz.toml";
/// What a media file may be: images (SVG checked for active content) and sounds.
pub const MEDIA_EXTENSIONS: [&str; 12] = [
    "svg", "png", "jpg", "jpeg", "webp", "gif", "mp3", "wav", "ogg", "oga", "m4a", "flac",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaFront {
    id: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermFront {
    pub(super) id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    pub(super) definition: String,
    pub(super) area: String,
    pub(super) level: Level,
    #[serde(default)]
    pub(super) lessons: Vec<String>,
    #[serde(default)]
    pub(super) see_also: Vec<String>,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
}

/// A text file split into its front matter and body, remembering where the front matter starts.
pub(super) struct Document<'a> {
    pub(super) file: &'a str,
    pub(super) front: &'a str,
    pub(super) body: &'a str,
    pub(super) body_line: usize,
}

impl Document<'_> {
    /// The file line on which the body starts.
    pub(super) fn body_line(&self) -> usize {
        self.body_line
    }

    /// The line (1-based, in the whole file) on which `key = ` is set, or the opening line.
    pub(super) fn line_of(&self, key: &str) -> usize {
        self.front
            .lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 2)
    }

    pub(super) fn problem(&self, key: &str, message: String) -> Problem {
        Problem {
            file: self.file.to_owned(),
            line: self.line_of(key),
            message,
        }
    }
}

fn split_front_matter<'a>(file: &'a str, text: &'a str) -> Result<Document<'a>, Problem> {
    let missing = || Problem {
        file: file.to_owned(),
        line: 1,
        message: "the file must start with front matter between two `+++` lines".into(),
    };
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(missing)?;
    let end = rest
        .match_indices("+++")
        .find(|(i, _)| *i == 0 || rest.as_bytes()[i - 1] == b'\n')
        .map(|(i, _)| i)
        .ok_or_else(|| Problem {
            message: "the front matter is not closed: add a `+++` line after it".into(),
            ..missing()
        })?;
    let body = rest[end + 3..].trim_start_matches(['\r', '\n']);
    let body_start = text.len() - body.len();
    Ok(Document {
        file,
        front: &rest[..end],
        body: body.trim_end(),
        body_line: text[..body_start].matches('\n').count() + 1,
    })
}

/// Parses TOML, turning an error into a problem on the right line. `first_line` is the line
/// of the file on which the TOML starts.
pub(super) fn parse_toml<T: for<'de> Deserialize<'de>>(
    file: &str,
    first_line: usize,
    text: &str,
) -> Result<T, Problem> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |span| text[..span.start].matches('\n').count());
        Problem {
            file: file.to_owned(),
            line: first_line + line,
            message: e.message().trim().to_owned(),
        }
    })
}

pub(super) fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Dot-separated parts of term-id characters: `reprise.networking-apis`.
pub(super) fn valid_pack_id(id: &str) -> bool {
    !id.is_empty() && id.split('.').all(valid_id)
}

pub(super) fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(QUIZ_SUFFIX)
        .or_else(|| name.strip_suffix(".md"))
        .unwrap_or(name)
}

/// Whether a file may be in a pack, by its path.
fn known_file(file: &str) -> bool {
    let in_folder = |folder: &str| {
        file.strip_prefix(folder)
            .is_some_and(|rest| !rest.contains('/'))
    };
    file == MANIFEST
        || ALLOWED_EXTRAS.contains(&file)
        || (in_folder("areas/") || in_folder("terms/")) && file.ends_with(".md")
        || in_folder("lessons/") && (file.ends_with(".md") || file.ends_with(QUIZ_SUFFIX))
        || in_folder("flash/") && file.ends_with(".toml")
}

/// Every file of the pack with its bytes, and the blake3 hash of them all.
/// A pack's files as read: relative path and bytes.
type Files = Vec<(String, Vec<u8>)>;

fn read_all(source: &dyn PackSource) -> Result<(Files, String)> {
    let mut hasher = blake3::Hasher::new();
    let mut files = Vec::new();
    for file in source.files()? {
        let bytes = source.read(&file)?;
        hasher.update(file.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        files.push((file, bytes));
    }
    Ok((files, hasher.finalize().to_hex().to_string()))
}

/// The hash `load` would give the pack, without parsing it.
pub fn content_hash(source: &dyn PackSource) -> Result<String> {
    read_all(source).map(|(_, hash)| hash)
}

pub fn load(source: &dyn PackSource) -> Result<Pack> {
    let (files, content_hash) = read_all(source)?;
    let mut problems = Vec::new();
    let mut texts = BTreeMap::new();
    let mut media = BTreeMap::new();
    for (file, bytes) in files {
        if let Some(name) = file.strip_prefix("media/") {
            let extension = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if !MEDIA_EXTENSIONS.contains(&extension.as_str()) || name.contains('/') {
                problems.push(Problem {
                    file: file.clone(),
                    line: 1,
                    message: format!(
                        "media files must be directly in media/ and be one of: {}",
                        MEDIA_EXTENSIONS.join(", ")
                    ),
                });
            } else if extension == "svg" {
                check_svg(&file, &String::from_utf8_lossy(&bytes), &mut problems);
            }
            media.insert(file, bytes);
            continue;
        }
        if !known_file(&file) {
            problems.push(Problem {
                file: file.clone(),
                line: 1,
                message: "unexpected file: a pack holds pack.toml, areas/*.md, terms/*.md, \
                          lessons/*.md with lessons/*.quiz.toml, flash/*.toml, media/ and \
                          optionally README.md and LICENSE; move or remove it"
                    .into(),
            });
            continue;
        }
        if bytes.len() > MAX_TEXT_FILE_BYTES {
            problems.push(Problem {
                file: file.clone(),
                line: 1,
                message: format!(
                    "the file is larger than {} KiB; a term or lesson is read in minutes, so \
                     split it",
                    MAX_TEXT_FILE_BYTES >> 10
                ),
            });
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                // Only the body is rendered as Markdown; the front matter is TOML (whose strings
                // may hold a code fence that would hide the body from a check of the whole file).
                let body = split_front_matter(&file, &text).map_or("", |doc| doc.body);
                if file.ends_with(".md") && super::render::too_deep_markdown(body) {
                    problems.push(Problem {
                        file: file.clone(),
                        line: 1,
                        message: format!(
                            "its lists, quotes or HTML nest more than {} levels deep, more than \
                             can be shown; flatten them",
                            super::render::MAX_NESTING
                        ),
                    });
                    continue;
                }
                texts.insert(file.clone(), text);
            }
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                problems.push(Problem {
                    file: file.clone(),
                    line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
                    message: "the file is not valid UTF-8; save it as UTF-8".into(),
                });
            }
        }
    }

    let manifest = match texts.get(MANIFEST) {
        None => {
            problems.push(Problem {
                file: MANIFEST.into(),
                line: 1,
                message: format!(
                    "{} has no pack.toml; every pack starts with a manifest (see the pack format)",
                    source.describe()
                ),
            });
            None
        }
        Some(text) => match parse_toml::<Manifest>(MANIFEST, 1, text) {
            Ok(m) => {
                check_manifest(&m, text, &mut problems);
                Some(m)
            }
            Err(p) => {
                problems.push(p);
                None
            }
        },
    };

    let mut areas = Vec::new();
    let mut terms_found = Vec::new();
    let mut lessons_found = Vec::new();
    let mut quizzes = BTreeMap::new();
    let mut flash = Vec::new();
    let mut flash_keys: BTreeMap<String, String> = BTreeMap::new();
    for (file, text) in &texts {
        if file.starts_with("flash/") {
            flash_file::read(file, text, &mut flash, &mut flash_keys, &mut problems);
            continue;
        }
        if file.starts_with("lessons/") && file.ends_with(QUIZ_SUFFIX) {
            match parse_toml::<QuizFile>(file, 1, text) {
                Ok(quiz) => {
                    let questions = lesson::check_quiz(file, text, quiz, &mut problems);
                    quizzes.insert(stem(file).to_owned(), (file.clone(), questions));
                }
                Err(p) => problems.push(p),
            }
            continue;
        }
        if file.starts_with("lessons/") {
            match split_front_matter(file, text) {
                Ok(doc) => match parse_toml::<LessonFront>(file, 2, doc.front) {
                    Ok(front) => lessons_found.push((doc, front)),
                    Err(p) => problems.push(p),
                },
                Err(p) => problems.push(p),
            }
            continue;
        }
        let is_area = file.starts_with("areas/");
        if !is_area && !file.starts_with("terms/") {
            continue;
        }
        let doc = match split_front_matter(file, text) {
            Ok(doc) => doc,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        if is_area {
            match parse_toml::<AreaFront>(file, 2, doc.front) {
                Ok(front) => areas.push((
                    doc.line_of("id"),
                    Area {
                        id: front.id,
                        name: front.name,
                        description: doc.body.to_owned(),
                    },
                    file.clone(),
                )),
                Err(p) => problems.push(p),
            }
        } else {
            match parse_toml::<TermFront>(file, 2, doc.front) {
                Ok(front) => terms_found.push((doc, front)),
                Err(p) => problems.push(p),
            }
        }
    }

    let mut area_ids = HashSet::new();
    for (line, area, file) in &areas {
        if !valid_id(&area.id) || stem(file) != area.id {
            problems.push(Problem {
                file: file.clone(),
                line: *line,
                message: format!(
                    "area id '{}' must be lowercase letters, digits and '-', and match the file name",
                    area.id
                ),
            });
        }
        if !area_ids.insert(area.id.clone()) {
            problems.push(Problem {
                file: file.clone(),
                line: *line,
                message: format!("duplicate area id '{}'; ids must be unique", area.id),
            });
        }
    }

    let mut first_file: BTreeMap<&str, &str> = BTreeMap::new();
    for (doc, term) in &terms_found {
        if let Some(other) = first_file.insert(&term.id, doc.file) {
            problems.push(doc.problem(
                "id",
                format!(
                    "duplicate term id '{}' (also in {other}); give each term its own id",
                    term.id
                ),
            ));
        }
    }
    let lesson_terms: BTreeMap<&str, &[String]> = lessons_found
        .iter()
        .map(|(_, l)| (l.id.as_str(), l.terms.as_slice()))
        .collect();
    for (doc, term) in &terms_found {
        check_term(
            doc,
            term,
            &area_ids,
            &first_file,
            &lesson_terms,
            &mut problems,
        );
        check_media_refs(doc.file, doc.body_line(), doc.body, &media, &mut problems);
    }
    let term_lessons: BTreeMap<&str, &[String]> = terms_found
        .iter()
        .map(|(_, t)| (t.id.as_str(), t.lessons.as_slice()))
        .collect();
    let mut lesson_ids = HashSet::new();
    for (doc, front) in &lessons_found {
        if !lesson_ids.insert(front.id.as_str()) {
            problems.push(doc.problem("id", format!("duplicate lesson id '{}'", front.id)));
        }
        check_lesson(
            doc,
            front,
            &term_lessons,
            quizzes.contains_key(&front.id),
            &mut problems,
        );
        check_media_refs(doc.file, doc.body_line(), doc.body, &media, &mut problems);
    }
    for (id, (file, _)) in &quizzes {
        if !lesson_ids.contains(id.as_str()) {
            problems.push(Problem {
                file: file.clone(),
                line: 1,
                message: format!("quiz without a lesson: add lessons/{id}.md or rename the quiz"),
            });
        }
    }

    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Err(problems.into());
    }

    let mut terms: Vec<Term> = terms_found
        .into_iter()
        .map(|(doc, f)| Term {
            id: f.id,
            name: f.name,
            aliases: f.aliases,
            definition: f.definition,
            explanation: doc.body.to_owned(),
            area: f.area,
            level: f.level,
            lessons: f.lessons,
            see_also: f.see_also,
            sources: f.sources,
            tags: f.tags,
        })
        .collect();
    terms.sort_by(|a, b| (a.level, &a.id).cmp(&(b.level, &b.id)));
    let mut lessons: Vec<Lesson> = lessons_found
        .into_iter()
        .map(|(doc, f)| Lesson {
            questions: quizzes.remove(&f.id).map(|(_, q)| q).unwrap_or_default(),
            id: f.id,
            title: f.title,
            summary: f.summary,
            level: f.level,
            tags: f.tags,
            terms: f.terms,
            body: doc.body.to_owned(),
        })
        .collect();
    lessons.sort_by(|a, b| (a.level, &a.id).cmp(&(b.level, &b.id)));
    Ok(Pack {
        manifest: manifest.expect("no problems means a manifest"),
        areas: areas.into_iter().map(|(_, area, _)| area).collect(),
        terms,
        lessons,
        flash,
        media,
        content_hash,
    })
}
