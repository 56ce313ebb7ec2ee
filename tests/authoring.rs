//! Writing and editing notes: each kind, edits that keep history, cloze renumbering, a pack
//! update meeting an edited field, undo, and bad input that changes nothing.

mod common;

use common::{at, disable_builtins, fingerprint, write_pack};
use reprise::content::{DirSource, Pack};
use reprise::notes::{BasicDraft, ClozeDraft, NoteDraft, TermDraft, MY_CARDS};
use reprise::{CardId, Collection, ErrorCode, Rating};
use tempfile::TempDir;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    at("2026-05-04T09:00:00+02:00")
}

fn fresh() -> (TempDir, Collection) {
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now()).unwrap();
    disable_builtins(&mut col, now());
    // Every card of a note studied in one go.
    let settings = reprise::Settings {
        bury_siblings: false,
        ..col.settings().clone()
    };
    col.set_settings(settings, now()).unwrap();
    (dir, col)
}

/// Cards of My cards whose text matches.
fn mine(col: &Collection, text: &str) -> usize {
    let q = reprise::browse::BrowseQuery {
        text: text.into(),
        pack: Some(MY_CARDS.into()),
        ..Default::default()
    };
    col.browse(&q, now()).unwrap().len()
}

fn term(name: &str, definition: &str) -> NoteDraft {
    NoteDraft::Term(TermDraft {
        name: name.into(),
        aliases: vec![],
        definition: definition.into(),
        explanation: String::new(),
        area: String::new(),
        level: reprise::content::Level::Beginner,
        see_also: vec![],
        tags: vec![],
    })
}

fn cloze(text: &str) -> NoteDraft {
    NoteDraft::Cloze(ClozeDraft {
        text: text.into(),
        extra: String::new(),
        tags: vec![],
        format: reprise::content::flash::TextFormat::Markdown,
    })
}

fn basic(front: &str, back: &str, reverse: bool) -> NoteDraft {
    NoteDraft::Basic(BasicDraft {
        front: front.into(),
        back: back.into(),
        reverse,
        tags: vec![],
        format: reprise::content::flash::TextFormat::Markdown,
    })
}

/// Studies every card due now with Good, returning the ids answered, in order.
fn study_all(col: &mut Collection, when: chrono::DateTime<chrono::FixedOffset>) -> Vec<CardId> {
    let mut seen = Vec::new();
    while let Some(card) = col.next_card(when).unwrap() {
        if seen.contains(&card.card_id) {
            break;
        }
        seen.push(card.card_id);
        col.answer(card.card_id, Rating::Easy, when, 3_000).unwrap();
    }
    seen
}

#[test]
fn each_kind_makes_its_cards_and_review_shows_them() {
    let (_dir, mut col) = fresh();
    let t = col
        .add_note(None, term("Quorum", "A majority of replicas."), now())
        .unwrap();
    assert_eq!(t.pack.as_str(), MY_CARDS);
    assert_eq!(t.card_ids.len(), 2, "a term asks both ways");
    let b = col
        .add_note(None, basic("Raft leader term?", "A number", true), now())
        .unwrap();
    assert_eq!(b.card_ids.len(), 2, "reversed basic: two cards");
    let one = col
        .add_note(None, basic("One way", "only", false), now())
        .unwrap();
    assert_eq!(one.card_ids.len(), 1);
    let c = col
        .add_note(
            None,
            cloze("{{c1::Paxos}} and {{c2::Raft::algorithm}} reach {{c1::consensus}}"),
            now(),
        )
        .unwrap();
    assert_eq!(c.card_ids.len(), 2, "two numbers, two cards");

    // The cards written come before every other new card, and show as written.
    let first = col.next_card(now()).unwrap().unwrap();
    assert!(t.card_ids.contains(&first.card_id), "{first:?}");
    assert_eq!(first.prompt, "Quorum");
    assert_eq!(first.answer, "A majority of replicas.");
    let c2 = col.preview_card(c.card_ids[1], now()).unwrap();
    let prompt = c2.prompt_html.unwrap();
    assert!(prompt.contains("Paxos"), "c2 shows the others: {prompt}");
    assert!(prompt.contains("[algorithm]"), "hint shown: {prompt}");
    assert!(
        !prompt.contains("Raft"),
        "the asked one is hidden: {prompt}"
    );
    assert!(c2.answer_html.unwrap().contains("Raft"));

    // Browse finds them by text at once, with their note.
    let q = reprise::browse::BrowseQuery {
        text: "Quorum".into(),
        pack: Some(MY_CARDS.into()),
        ..Default::default()
    };
    let rows = col
        .browse_rows(&col.browse(&q, now()).unwrap(), now())
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.note_id == t.note_id));
    let hits = col.search("majority", 10).unwrap();
    assert!(hits.iter().any(|h| h.title == "Quorum"), "{hits:?}");
}

#[test]
fn markdown_is_rendered_as_review_shows_it_and_script_never_reaches_it() {
    let (_dir, mut col) = fresh();
    let draft = basic(
        "What does `fsync` do?",
        "```sh\nsync -f file\n```\n\n**Flushes**",
        false,
    );
    let preview = col.preview_note(None, draft.clone()).unwrap();
    assert_eq!(preview.len(), 1);
    let answer = preview[0].answer_html.clone().unwrap();
    assert!(answer.contains("<strong>Flushes</strong>"), "{answer}");
    assert!(
        answer.contains("class=\"language-sh\""),
        "code keeps its language: {answer}"
    );
    let added = col.add_note(None, draft, now()).unwrap();
    let shown = col.preview_card(added.card_ids[0], now()).unwrap();
    assert_eq!(shown.answer_html.unwrap(), answer, "preview is review");

    let before = fingerprint(&col);
    for (draft, field) in [
        (basic("<script>alert(1)</script>hi", "x", false), "front"),
        (basic("ok", "<img src=x onerror=alert(1)>", false), "back"),
        (
            cloze("{{c1::a}} <iframe src=\"https://x\"></iframe>"),
            "text",
        ),
        (
            NoteDraft::Term(TermDraft {
                explanation: "See [this](javascript:alert(1)).".into(),
                ..match term("T", "d") {
                    NoteDraft::Term(t) => t,
                    _ => unreachable!(),
                }
            }),
            "explanation",
        ),
        (
            basic("![x](https://tracker.example/p.png)", "b", false),
            "front",
        ),
        (term("T", "<img src=x onerror=alert(1)>"), "definition"),
    ] {
        let e = col.add_note(None, draft, now()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Invalid, "{e}");
        assert!(
            e.to_string().contains(&format!("`{field}`")),
            "{field}: {e}"
        );
        assert_eq!(e.field(), Some(field), "{e}");
    }
    assert_eq!(fingerprint(&col), before, "refused drafts change nothing");

    // Code and prose that only look like markup are text: `on…=`, `url(`, a script tag in code.
    let code =
        "```js\nlet one = 1;\nel.style.background = 'url(x.png)';\n```\n\n`<script>` is the tag.";
    let added = col
        .add_note(None, basic("What does this print?", code, false), now())
        .unwrap();
    let answer = col
        .preview_card(added.card_ids[0], now())
        .unwrap()
        .answer_html
        .unwrap();
    assert!(answer.contains("let one = 1;"), "{answer}");
    assert!(answer.contains("&lt;script&gt;"), "shown as text: {answer}");
    col.add_note(
        None,
        term("Generics", "Vec<T> holds items of one type; let one = 1."),
        now(),
    )
    .unwrap();
}

#[test]
fn bad_input_names_its_field_and_changes_nothing() {
    let (_dir, mut col) = fresh();
    let ok = col
        .add_note(None, term("Shard", "A horizontal partition."), now())
        .unwrap();
    let before = fingerprint(&col);
    let long = "x".repeat(70 << 10);
    let cases: Vec<(NoteDraft, &str, &str)> = vec![
        (term("  ", "d"), "name", "empty"),
        (term("n", ""), "definition", "empty"),
        (basic("front", " ", false), "back", "empty"),
        (cloze("no deletion here"), "text", "no cloze deletion"),
        (cloze("{{c0::zero}}"), "text", "c0"),
        (cloze("{{c101::too far}}"), "text", "c101"),
        (basic(&long, "b", false), "front", "KiB"),
        (
            NoteDraft::Term(TermDraft {
                tags: vec!["two words".into()],
                ..match term("n", "d") {
                    NoteDraft::Term(t) => t,
                    _ => unreachable!(),
                }
            }),
            "tags",
            "not a tag",
        ),
    ];
    for (draft, field, says) in cases {
        let e = col.add_note(None, draft.clone(), now()).unwrap_err();
        assert_eq!(e.field(), Some(field), "{e}");
        assert!(e.to_string().contains(says), "{field}: {e}");
        let e = col.edit_note(ok.note_id, draft, now());
        assert!(e.is_err());
    }
    let e = col
        .edit_note(reprise::NoteId(12345), term("a", "b"), now())
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
    assert!(e.to_string().contains("12345"), "{e}");
    let e = col
        .edit_note(ok.note_id, basic("a", "b", false), now())
        .unwrap_err();
    assert_eq!(e.field(), Some("kind"), "a term stays a term: {e}");
    let e = col
        .edit_note_fields(ok.note_id, &[("colour".into(), "red".into())], now())
        .unwrap_err();
    assert!(
        e.to_string().contains("definition"),
        "lists the fields: {e}"
    );
    let e = col
        .add_note(Some("reprise.kubernetes-containers"), term("a", "b"), now())
        .unwrap_err();
    assert_eq!(e.field(), Some("pack"), "{e}");
    assert_eq!(fingerprint(&col), before, "nothing changed");
    assert!(col
        .undo(now())
        .unwrap()
        .is_some_and(|u| u.action == "add_note"));
}

#[test]
fn an_edit_keeps_every_cards_history_and_schedule() {
    let (_dir, mut col) = fresh();
    let added = col
        .add_note(None, term("Leader", "The node that orders writes."), now())
        .unwrap();
    let studied = study_all(&mut col, now());
    assert_eq!(studied.len(), 2);
    let info_before = col.card_info(added.card_ids[0], now()).unwrap();
    assert_eq!(info_before.reviews.len(), 1);

    let edited = col
        .edit_note_fields(
            added.note_id,
            &[
                (
                    "definition".into(),
                    "The replica that orders all writes.".into(),
                ),
                ("aliases".into(), "primary, master".into()),
                ("tags".into(), "consensus".into()),
            ],
            now(),
        )
        .unwrap();
    assert_eq!(edited.card_ids, added.card_ids);
    assert!(edited.added.is_empty() && edited.retired.is_empty());
    let info = col.card_info(added.card_ids[0], now()).unwrap();
    assert_eq!(info.reviews, info_before.reviews, "history kept");
    assert_eq!(info.due, info_before.due, "schedule kept");
    assert_eq!(info.stability, info_before.stability);
    assert_eq!(info.answer, "The replica that orders all writes.");
    assert_eq!(info.prompt, "Leader (primary, master)");
    let view = col.note(added.note_id).unwrap();
    assert_eq!(view.draft.tags(), ["consensus".to_owned()]);
    assert!(view.personal && view.edited.is_empty() && view.pack_draft.is_none());
    // Found by its new text only.
    assert_eq!(mine(&col, "replica"), 2);
    assert_eq!(mine(&col, "node"), 0);
}

#[test]
fn cloze_numbers_added_and_removed_add_and_retire_cards_that_keep_their_history() {
    let (_dir, mut col) = fresh();
    let added = col
        .add_note(
            None,
            cloze("{{c1::TCP}} retransmits; {{c2::UDP}} does not"),
            now(),
        )
        .unwrap();
    let [c1, c2] = added.card_ids[..] else {
        panic!()
    };
    study_all(&mut col, now());
    let c2_before = col.card_info(c2, now()).unwrap();
    let text = |t: &str| vec![("text".to_owned(), t.to_owned())];

    // c2 out, c3 in: c2 retires with its history, c3 is new.
    let e = col
        .edit_note_fields(
            added.note_id,
            &text("{{c1::TCP}} retransmits; {{c3::QUIC}} too"),
            now(),
        )
        .unwrap();
    assert_eq!(e.retired, vec![c2]);
    assert_eq!(e.added.len(), 1);
    let c3 = e.added[0];
    assert_eq!(e.card_ids.len(), 2);
    assert!(col.card_info(c2, now()).is_err(), "retired: not in study");
    assert_eq!(
        col.export_revlog(&_dir.path().join("log.csv"))
            .unwrap()
            .items,
        2,
        "the retired card's answer stays in the log"
    );
    let next = col.next_card(now()).unwrap().unwrap();
    assert_eq!(next.card_id, c3, "the new number is a new card");

    // c2 back: the same card, with the schedule and history it had.
    let e = col
        .edit_note_fields(
            added.note_id,
            &text("{{c1::TCP}} retransmits; {{c2::UDP}} does not; {{c3::QUIC}} does"),
            now(),
        )
        .unwrap();
    assert_eq!(e.added, vec![c2]);
    let back = col.card_info(c2, now()).unwrap();
    assert_eq!(back.reviews, c2_before.reviews);
    assert_eq!(back.due, c2_before.due);
    assert_eq!(col.note(added.note_id).unwrap().card_ids, vec![c1, c2, c3]);
}

#[test]
fn a_reverse_card_switched_off_and_on_is_the_same_card() {
    let (_dir, mut col) = fresh();
    let added = col
        .add_note(None, basic("rojo", "red", true), now())
        .unwrap();
    study_all(&mut col, now());
    let reverse = added.card_ids[1];
    let before = col.card_info(reverse, now()).unwrap();
    let off = col
        .edit_note_fields(added.note_id, &[("reverse".into(), "false".into())], now())
        .unwrap();
    assert_eq!(off.retired, vec![reverse]);
    let on = col
        .edit_note_fields(added.note_id, &[("reverse".into(), "true".into())], now())
        .unwrap();
    assert_eq!(on.added, vec![reverse]);
    assert_eq!(
        col.card_info(reverse, now()).unwrap().reviews,
        before.reviews
    );
}

fn write_term(dir: &std::path::Path, definition: &str, explanation: &str) {
    std::fs::write(
        dir.join("terms/term-00.md"),
        format!(
            "+++\nid = \"term-00\"\nname = \"Term 0\"\ndefinition = \"{definition}\"\n\
             area = \"testing\"\nlevel = \"beginner\"\n+++\n\n{explanation}\n"
        ),
    )
    .unwrap();
}

/// Installs the pack in `src` again as a new version (`from` → `to` in its manifest).
fn release(col: &mut Collection, src: &std::path::Path, from: &str, to: &str) {
    let manifest = src.join("pack.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace(from, to)).unwrap();
    col.install_pack(&Pack::load(&DirSource::new(src)).unwrap(), now())
        .unwrap();
}

#[test]
fn a_pack_update_keeps_the_learners_edited_field_and_updates_the_others() {
    let (dir, mut col) = fresh();
    let src = dir.path().join("pack");
    write_pack(&src, "test.pack", 3, "");
    write_term(&src, "Version one.", "Explained once.");
    col.install_pack(&Pack::load(&DirSource::new(&src)).unwrap(), now())
        .unwrap();
    let note = reprise::NoteId::derive("test.pack", "term-00");
    study_all(&mut col, now());

    let view = col.note(note).unwrap();
    assert!(!view.personal);
    let NoteDraft::Term(mut mine) = view.draft.clone() else {
        panic!()
    };
    mine.explanation = "In my own words.".into();
    col.edit_note(note, NoteDraft::Term(mine), now()).unwrap();
    let view = col.note(note).unwrap();
    assert_eq!(view.edited, vec!["explanation"]);
    let Some(NoteDraft::Term(pack)) = &view.pack_draft else {
        panic!()
    };
    assert_eq!(pack.explanation, "Explained once.");

    // Version two changes both fields: the definition follows the pack, the explanation stays.
    write_term(&src, "Version two.", "Explained twice.");
    let cards_before = col.card_info(view.card_ids[0], now()).unwrap();
    release(&mut col, &src, "1.0.0", "2.0.0");
    let view = col.note(note).unwrap();
    let NoteDraft::Term(t) = &view.draft else {
        panic!()
    };
    assert_eq!(t.definition, "Version two.");
    assert_eq!(t.explanation, "In my own words.");
    let Some(NoteDraft::Term(pack)) = &view.pack_draft else {
        panic!()
    };
    assert_eq!(
        pack.explanation, "Explained twice.",
        "the pack's new text, to go back to"
    );
    assert_eq!(view.edited, vec!["explanation"]);
    let after = col.card_info(view.card_ids[0], now()).unwrap();
    assert_eq!(after.reviews, cards_before.reviews);

    // A field the learner did not touch is not theirs for the blanks the editor trims.
    write_term(&src, "  Version three, spaced.  ", "Explained thrice.");
    release(&mut col, &src, "2.0.0", "3.0.0");
    let view = col.note(note).unwrap();
    col.edit_note(note, view.draft.clone(), now()).unwrap();
    assert_eq!(
        col.note(note).unwrap().edited,
        vec!["explanation"],
        "the definition stays the pack's"
    );
    let Some(NoteDraft::Term(pack)) = &col.note(note).unwrap().pack_draft else {
        panic!()
    };
    let pack = pack.clone();

    // Going back to the pack's text: the note is the pack's again, and follows its updates.
    let NoteDraft::Term(mut back) = view.draft.clone() else {
        panic!()
    };
    back.explanation = pack.explanation.clone();
    col.edit_note(note, NoteDraft::Term(back), now()).unwrap();
    let view = col.note(note).unwrap();
    assert!(view.edited.is_empty() && view.pack_draft.is_none());
}

#[test]
fn a_deleted_note_leaves_study_keeps_its_log_and_undo_brings_it_back() {
    let (dir, mut col) = fresh();
    let src = dir.path().join("pack");
    write_pack(&src, "test.pack", 2, "");
    col.install_pack(&Pack::load(&DirSource::new(&src)).unwrap(), now())
        .unwrap();
    let note = reprise::NoteId::derive("test.pack", "term-00");
    col.edit_note_fields(note, &[("tags".into(), "mine".into())], now())
        .unwrap();
    study_all(&mut col, now());
    let card = col.note(note).unwrap().card_ids[0];
    let history = col.card_info(card, now()).unwrap();
    let reviews = |col: &Collection| {
        col.stats(now())
            .unwrap()
            .heatmap
            .days
            .last()
            .unwrap()
            .reviews
    };
    let reviews_before = reviews(&col);
    assert_eq!(reviews_before, 4);

    assert_eq!(col.delete_note(note, now()).unwrap(), 2);
    assert_eq!(col.note(note).unwrap_err().code(), ErrorCode::NotFound);
    assert!(col.card_info(card, now()).is_err());
    assert_eq!(reviews(&col), reviews_before, "statistics stay true");
    assert!(col
        .search("Term 0", 10)
        .unwrap()
        .iter()
        .all(|h| h.key != "term-00"));

    // A pack update does not bring a deleted note back.
    std::fs::write(
        src.join("pack.toml"),
        std::fs::read_to_string(src.join("pack.toml"))
            .unwrap()
            .replace("1.0.0", "1.1.0"),
    )
    .unwrap();
    write_term(&src, "Changed.", "Changed.");
    col.install_pack(&Pack::load(&DirSource::new(&src)).unwrap(), now())
        .unwrap();
    assert!(col.note(note).is_err(), "still deleted after the update");

    let undone = col.undo(now()).unwrap().unwrap();
    assert_eq!(undone.action, "delete_note");
    let view = col.note(note).unwrap();
    assert_eq!(view.draft.tags(), ["mine".to_owned()], "tags back too");
    let back = col.card_info(card, now()).unwrap();
    assert_eq!(back.reviews, history.reviews);
    assert_eq!(back.due, history.due);
}

#[test]
fn undo_takes_back_an_add_and_an_edit_one_step_each() {
    let (_dir, mut col) = fresh();
    let before = fingerprint(&col);
    let added = col
        .add_note(None, cloze("{{c1::B-tree}} pages"), now())
        .unwrap();
    col.edit_note_fields(
        added.note_id,
        &[("text".into(), "{{c1::B+tree}} {{c2::pages}}".into())],
        now(),
    )
    .unwrap();
    assert_eq!(col.note(added.note_id).unwrap().card_ids.len(), 2);

    let u = col.undo(now()).unwrap().unwrap();
    assert_eq!(u.action, "edit_note");
    let view = col.note(added.note_id).unwrap();
    let NoteDraft::Cloze(c) = &view.draft else {
        panic!()
    };
    assert_eq!(c.text, "{{c1::B-tree}} pages");
    assert_eq!(
        view.card_ids, added.card_ids,
        "the card the edit made is gone"
    );
    assert_eq!(mine(&col, "B-tree"), 1, "indexed as it was");

    let u = col.undo(now()).unwrap().unwrap();
    assert_eq!(u.action, "add_note");
    assert!(col.note(added.note_id).is_err());
    // My cards stays as an empty pack (made once); nothing else is left of the note.
    let mut after = fingerprint(&col);
    let mut before = before;
    after[0] -= 1;
    before.truncate(after.len());
    assert_eq!(after, before);
}

#[test]
fn notes_go_to_a_pack_the_learner_names_and_it_exports() {
    let (dir, mut col) = fresh();
    let a = col
        .add_note(
            Some("Interview prep"),
            term("CAP", "Pick two of three."),
            now(),
        )
        .unwrap();
    assert_eq!(a.pack.as_str(), "mine.interview-prep");
    let b = col
        .add_note(Some("interview prep"), cloze("{{c1::Raft}}"), now())
        .unwrap();
    assert_eq!(b.pack, a.pack, "found again by its name");
    let packs = col.personal_packs().unwrap();
    assert_eq!(packs.len(), 1);
    assert_eq!(packs[0].name, "Interview prep");
    let out = dir.path().join("prep.zip");
    col.export_pack(&a.pack, &out).unwrap();
    // The export is a pack like any other: another collection imports it with both notes.
    let other = TempDir::new().unwrap();
    let mut col2 = Collection::open(other.path(), now()).unwrap();
    let report = col2.import(&out, now()).unwrap();
    assert_eq!(report.added, 2, "{report:?}");
    let card = col2.preview_card(b.card_ids[0], now()).unwrap();
    assert!(card.answer_html.unwrap().contains("Raft"));
}

#[test]
fn undo_of_an_edit_made_before_a_pack_update_keeps_the_updates_text() {
    let (dir, mut col) = fresh();
    let src = dir.path().join("pack");
    write_pack(&src, "test.pack", 2, "");
    write_term(&src, "Version one.", "Explained once.");
    col.install_pack(&Pack::load(&DirSource::new(&src)).unwrap(), now())
        .unwrap();
    let note = reprise::NoteId::derive("test.pack", "term-00");
    col.edit_note_fields(note, &[("explanation".into(), "Mine.".into())], now())
        .unwrap();

    write_term(&src, "Version two.", "Explained twice.");
    release(&mut col, &src, "1.0.0", "2.0.0");
    assert_eq!(col.undo(now()).unwrap().unwrap().action, "edit_note");
    let view = col.note(note).unwrap();
    let NoteDraft::Term(t) = &view.draft else {
        panic!()
    };
    assert_eq!(t.definition, "Version two.", "the update's text stays");
    assert_eq!(
        t.explanation, "Explained twice.",
        "the edit undone: the pack's text of today"
    );
    assert!(view.edited.is_empty() && view.pack_draft.is_none());
}

fn flash_notes(col: &Collection, pack: &reprise::PackId) -> Vec<(reprise::NoteId, NoteDraft)> {
    let q = reprise::browse::BrowseQuery {
        pack: Some(pack.clone()),
        ..Default::default()
    };
    let rows = col
        .browse_rows(&col.browse(&q, now()).unwrap(), now())
        .unwrap();
    let mut notes: Vec<reprise::NoteId> = rows.iter().map(|r| r.note_id).collect();
    notes.sort();
    notes.dedup();
    notes
        .into_iter()
        .map(|n| (n, col.note(n).unwrap().draft))
        .collect()
}

#[test]
fn importing_an_anki_package_again_keeps_edits_deletions_and_retired_cards() {
    let (dir, mut col) = fresh();
    let apkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/genanki_mixed_30.apkg");
    let first = col.import(&apkg, now()).unwrap();
    let notes = flash_notes(&col, &first.pack);
    let cloze = notes
        .iter()
        .find(|(_, d)| matches!(d, NoteDraft::Cloze(c) if reprise::content::flash::cloze_numbers_of(&c.text).len() >= 2))
        .expect("a cloze with two numbers")
        .0;
    let reversed = notes
        .iter()
        .find(|(_, d)| matches!(d, NoteDraft::Basic(b) if b.reverse))
        .expect("a reversed basic note")
        .0;
    let gone = notes
        .iter()
        .find(|(n, _)| *n != cloze && *n != reversed)
        .unwrap()
        .0;

    let NoteDraft::Cloze(mut c) = col.note(cloze).unwrap().draft else {
        panic!()
    };
    c.text = "{{c1::Only one}} now".into();
    let retired = col
        .edit_note(cloze, NoteDraft::Cloze(c), now())
        .unwrap()
        .retired;
    assert!(!retired.is_empty());
    let off = col
        .edit_note_fields(reversed, &[("reverse".into(), "false".into())], now())
        .unwrap()
        .retired;
    col.delete_note(gone, now()).unwrap();
    let studied = |col: &Collection| {
        let q = reprise::browse::BrowseQuery {
            pack: Some(first.pack.clone()),
            ..Default::default()
        };
        col.browse(&q, now()).unwrap().len()
    };
    let cards_before = studied(&col);

    // Anki's file has all of it as it was; importing it again changes none of the learner's work.
    let again = col.import(&apkg, now()).unwrap();
    assert_eq!(again.pack, first.pack);
    assert!(col.note(gone).is_err(), "a deleted note stays deleted");
    let NoteDraft::Cloze(c) = col.note(cloze).unwrap().draft else {
        panic!()
    };
    assert_eq!(c.text, "{{c1::Only one}} now", "the learner's text stays");
    for card in retired.iter().chain(&off) {
        assert!(
            col.card_info(*card, now()).is_err(),
            "a retired card stays retired"
        );
    }
    assert_eq!(studied(&col), cards_before);
    drop(dir);
}

#[test]
fn a_pack_update_that_adds_a_card_meets_edited_and_deleted_notes() {
    let (dir, mut col) = fresh();
    let src = dir.path().join("pack");
    write_pack(&src, "test.pack", 1, "");
    std::fs::create_dir_all(src.join("flash")).unwrap();
    let flash = |key: &str, front: &str, cards: &str| {
        std::fs::write(
            src.join(format!("flash/{key}.toml")),
            format!("key = \"{key}\"\nkind = \"cloze\"\ncards = [{cards}]\nfront = '{front}'\n"),
        )
        .unwrap();
    };
    flash("edited", "{{c1::a}} {{c2::b}}", "\"c1\", \"c2\"");
    flash("deleted", "{{c1::a}}", "\"c1\"");
    col.install_pack(&Pack::load(&DirSource::new(&src)).unwrap(), now())
        .unwrap();
    let edited = reprise::NoteId::derive("test.pack", "edited");
    let deleted = reprise::NoteId::derive("test.pack", "deleted");
    col.edit_note_fields(
        edited,
        &[("text".into(), "{{c1::mine}} only".into())],
        now(),
    )
    .unwrap();
    col.delete_note(deleted, now()).unwrap();

    // Version two asks a third number of one and a second of the other.
    flash(
        "edited",
        "{{c1::a}} {{c2::b}} {{c3::c}}",
        "\"c1\", \"c2\", \"c3\"",
    );
    flash("deleted", "{{c1::a}} {{c2::b}}", "\"c1\", \"c2\"");
    release(&mut col, &src, "1.0.0", "2.0.0");
    let view = col.note(edited).unwrap();
    assert_eq!(
        view.card_ids.len(),
        1,
        "only what the learner's text asks: {view:?}"
    );
    assert!(col.note(deleted).is_err());
    // Every card in study can be shown.
    while let Some(card) = col.next_card(now()).unwrap() {
        col.answer(card.card_id, reprise::Rating::Easy, now(), 1_000)
            .unwrap();
    }
    // The deleted note comes back with the pack's new text and the cards it asks.
    col.undo(now()).unwrap();
    while col
        .undo(now())
        .unwrap()
        .is_some_and(|u| u.action != "delete_note")
    {}
    let back = col.note(deleted).unwrap();
    let NoteDraft::Cloze(c) = &back.draft else {
        panic!()
    };
    assert_eq!(c.text, "{{c1::a}} {{c2::b}}");
    assert_eq!(back.card_ids.len(), 2);
}

#[test]
fn cards_written_into_a_disabled_pack_stay_out_of_study_and_removing_a_pack_forgets_its_steps() {
    let (_dir, mut col) = fresh();
    col.add_note(None, term("First", "One."), now()).unwrap();
    col.set_pack_enabled(&MY_CARDS.into(), false, now())
        .unwrap();
    let added = col.add_note(None, cloze("{{c1::hidden}}"), now()).unwrap();
    assert!(
        col.next_card(now()).unwrap().is_none(),
        "nothing to study: My cards is off"
    );
    col.set_pack_enabled(&MY_CARDS.into(), true, now()).unwrap();
    let due: Vec<_> = std::iter::from_fn(|| {
        let card = col.next_card(now()).unwrap()?;
        col.answer(card.card_id, Rating::Easy, now(), 1_000)
            .unwrap();
        Some(card.card_id)
    })
    .collect();
    assert!(due.contains(&added.card_ids[0]), "back with the pack");

    col.edit_note_fields(
        added.note_id,
        &[("text".into(), "{{c1::changed}}".into())],
        now(),
    )
    .unwrap();
    col.remove_pack(&MY_CARDS.into(), false, now()).unwrap();
    // The edit's step went with the pack: undo has nothing of it to fail on.
    while let Some(u) = col.undo(now()).unwrap() {
        assert_ne!(u.action, "edit_note");
    }
}
