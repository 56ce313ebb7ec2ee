//! Packs checked as a set: a term may name a term of another pack in its `see_also`
//! (`reprise.networking-apis/dns`), which only resolves against the packs it is checked with —
//! the built-in curriculum, or the packs a learner has installed.

use std::collections::{BTreeMap, BTreeSet};

use super::{Pack, Problem};

/// A `see_also` entry that names another pack's term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossLink<'a> {
    /// The term that holds the link.
    pub from: &'a str,
    pub pack: &'a str,
    pub term: &'a str,
}

impl Pack {
    /// This pack's links to other packs' terms.
    pub fn cross_links(&self) -> impl Iterator<Item = CrossLink<'_>> {
        self.terms.iter().flat_map(|t| {
            t.see_also.iter().filter_map(|other| {
                let (pack, term) = other.split_once('/')?;
                Some(CrossLink {
                    from: &t.id,
                    pack,
                    term,
                })
            })
        })
    }
}

/// Every cross-pack link among `packs` that does not resolve: to a term a pack among them
/// lacks, or — unless `open`, for a pack checked on its own — to a pack not among them.
/// Pack ids must be distinct.
pub fn check_together(packs: &[Pack], open: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut terms: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for pack in packs {
        let id = pack.manifest.id.as_str();
        if terms.contains_key(id) {
            problems.push(Problem {
                file: "pack.toml".into(),
                line: 1,
                message: format!("two packs have the id '{id}'; give each pack its own id"),
            });
        }
        terms
            .entry(id)
            .or_default()
            .extend(pack.terms.iter().map(|t| t.id.as_str()));
    }
    for pack in packs {
        for link in pack.cross_links() {
            let message = match terms.get(link.pack) {
                None if open => continue,
                None => format!(
                    "see_also names the pack '{}', which is not among the packs checked; \
                     check it together with that pack or remove the link",
                    link.pack
                ),
                Some(known) if !known.contains(link.term) => format!(
                    "see_also names '{}/{}', but that pack has no term '{}'",
                    link.pack, link.term, link.term
                ),
                Some(_) => continue,
            };
            problems.push(Problem {
                file: format!("{}/terms/{}.md", pack.manifest.id, link.from),
                line: 1,
                message,
            });
        }
    }
    problems
}
