//! The built-in curriculum as the area picker offers it ("What do you want to learn?"): one
//! entry per built-in pack, in the curriculum's order, on or off. Switching an area off only
//! hides its cards (as disabling any pack does); its progress stays as it was.

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::library;
use crate::content::source;
use crate::error::Result;
use crate::ids::PackId;
use crate::store;

/// An area of the built-in curriculum.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CurriculumArea {
    pub pack: PackId,
    pub name: String,
    pub description_html: String,
    pub terms: u32,
    pub lessons: u32,
    /// Whether its cards are studied (the pack is enabled).
    pub enabled: bool,
    /// Its cards answered at least once: what switching it off would set aside.
    pub studied: u32,
}

pub(crate) fn curriculum(conn: &Connection) -> Result<Vec<CurriculumArea>> {
    let packs = store::packs::list(conn)?;
    let library = library::library(conn)?;
    let studied = store::packs::studied_cards(conn)?;
    let mut out = Vec::new();
    for id in source::builtin_ids() {
        let Some(pack) = packs.iter().find(|p| &p.id == id) else {
            continue;
        };
        let areas: Vec<_> = library.iter().filter(|a| a.pack.as_str() == id).collect();
        out.push(CurriculumArea {
            pack: id.as_str().into(),
            name: pack.name.clone(),
            description_html: areas
                .first()
                .map(|a| a.description_html.clone())
                .unwrap_or_default(),
            terms: areas.iter().map(|a| a.terms.len() as u32).sum(),
            lessons: areas.iter().map(|a| a.lessons.len() as u32).sum(),
            enabled: pack.enabled,
            studied: studied.get(id.as_str()).copied().unwrap_or(0),
        });
    }
    Ok(out)
}
