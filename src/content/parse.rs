//! Parsing and validating a pack. Text files are Markdown with TOML front matter between `+++`
//! lines; the body is the Markdown. All problems are collected, each with file and line.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::source::PackSource;
use super::{Area, Level, Manifest, Pack, Problem, Term, FORMAT_VERSION};
use crate::error::Result;

const MANIFEST: &str = "pack.toml";
/// Files a pack may hold besides its content.
const ALLOWED_EXTRAS: [&str; 2] = ["README.md", "LICENSE"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaFront {
    id: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFront {
    id: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    definition: String,
    area: String,
    level: Level,
    #[serde(default)]
    lessons: Vec<String>,
    #[serde(default)]
    see_also: Vec<String>,
}

/// A text file split into its front matter and body, remembering where the front matter starts.
struct Document<'a> {
    file: &'a str,
    front: &'a str,
    body: &'a str,
}

impl Document<'_> {
    /// The line (1-based, in the whole file) on which `key = ` is set, or the opening line.
    fn line_of(&self, key: &str) -> usize {
        self.front
            .lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 2)
    }

    fn problem(&self, key: &str, message: String) -> Problem {
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
    Ok(Document {
        file,
        front: &rest[..end],
        body: body.trim_end(),
    })
}

/// Parses TOML, turning an error into a problem on the right line. `first_line` is the line
/// of the file on which the TOML starts.
fn parse_toml<T: for<'de> Deserialize<'de>>(
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

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

pub fn load(source: &dyn PackSource) -> Result<Pack> {
    let files = source.files()?;
    let mut problems = Vec::new();
    let mut hasher = blake3::Hasher::new();
    let mut texts = BTreeMap::new();
    for file in &files {
        let bytes = source.read(file)?;
        hasher.update(file.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        if file.starts_with("media/") {
            continue;
        }
        let known = file == MANIFEST
            || ALLOWED_EXTRAS.contains(&file.as_str())
            || (file.starts_with("areas/") || file.starts_with("terms/"))
                && file.ends_with(".md")
                && file.matches('/').count() == 1;
        if !known {
            problems.push(Problem {
                file: file.clone(),
                line: 1,
                message: "unexpected file: a pack holds pack.toml, areas/*.md, terms/*.md, \
                          media/ and optionally README.md and LICENSE; move or remove it"
                    .into(),
            });
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
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
    for (file, text) in &texts {
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
    for (doc, term) in &terms_found {
        check_term(doc, term, &area_ids, &first_file, &mut problems);
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
        })
        .collect();
    terms.sort_by(|a, b| (a.level, &a.id).cmp(&(b.level, &b.id)));
    Ok(Pack {
        manifest: manifest.expect("no problems means a manifest"),
        areas: areas.into_iter().map(|(_, area, _)| area).collect(),
        terms,
        content_hash: hasher.finalize().to_hex().to_string(),
    })
}

fn check_manifest(m: &Manifest, text: &str, problems: &mut Vec<Problem>) {
    let doc = Document {
        file: MANIFEST,
        front: text,
        body: "",
    };
    // The manifest has no `+++` line, so its lines are one lower than a front matter's.
    let mut problem = |key: &str, message: String| {
        let mut p = doc.problem(key, message);
        p.line = p.line.saturating_sub(1).max(1);
        problems.push(p);
    };
    if m.format != FORMAT_VERSION {
        problem(
            "format",
            format!(
                "pack format {} is not supported; this version of Reprise reads format {FORMAT_VERSION}",
                m.format
            ),
        );
    }
    let id_ok = !m.id.is_empty()
        && m.id
            .split('.')
            .all(|part| !part.is_empty() && valid_id(part));
    if !id_ok {
        problem(
            "id",
            format!(
                "pack id '{}' must be dot-separated parts of lowercase letters, digits and '-', \
                 e.g. 'example.my-pack'",
                m.id
            ),
        );
    }
    for (key, value) in [("name", &m.name), ("version", &m.version)] {
        if value.trim().is_empty() {
            problem(key, format!("`{key}` must not be empty"));
        }
    }
}

fn check_term(
    doc: &Document,
    term: &TermFront,
    areas: &HashSet<String>,
    terms: &BTreeMap<&str, &str>,
    problems: &mut Vec<Problem>,
) {
    let mut problem = |key: &str, message: String| problems.push(doc.problem(key, message));
    if !valid_id(&term.id) {
        problem(
            "id",
            format!(
                "term id '{}' must be lowercase letters, digits and '-'",
                term.id
            ),
        );
    } else if stem(doc.file) != term.id {
        problem(
            "id",
            format!(
                "term id '{}' does not match the file name; rename the file to {}.md",
                term.id, term.id
            ),
        );
    }
    if term.name.trim().is_empty() {
        problem("name", "`name` must not be empty".into());
    }
    let definition = term.definition.trim();
    if definition.is_empty() || definition.contains('\n') {
        problem(
            "definition",
            "`definition` must be one sentence on one line".into(),
        );
    }
    if !areas.contains(&term.area) {
        problem(
            "area",
            format!(
                "unknown area '{}'; add areas/{}.md or use an existing area id",
                term.area, term.area
            ),
        );
    }
    for other in &term.see_also {
        if other == &term.id {
            problem(
                "see_also",
                format!("term '{other}' lists itself in see_also"),
            );
        } else if !terms.contains_key(other.as_str()) {
            problem(
                "see_also",
                format!("unknown term '{other}' in see_also; add terms/{other}.md or fix the id"),
            );
        }
    }
    for lesson in &term.lessons {
        problem(
            "lessons",
            format!("unknown lesson '{lesson}'; no lesson with that id is in the pack"),
        );
    }
}
