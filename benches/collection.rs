//! Benchmark on a generated collection of 100k cards and 1M review-log rows (or, with
//! `BENCH_SIZE=1m`, 1M cards and 10M rows):
//! open + build today's queue, fetch the next card, answer one card (durable), statistics,
//! browsing, and writing cards (preview, add, edit, undo); and, on a
//! collection holding the built-in pack, rendering a lesson and listing the library.
//!
//! `cargo bench --bench collection` prints medians of wall and CPU time.
//! `cargo bench --bench collection -- --answers 100` only answers 100 cards, for counting
//! fsyncs with `strace -f -c -e trace=fsync,fdatasync`.
//! `BENCH_NO_BURY=1 cargo bench --bench collection` answers with burying siblings off.
//! `cargo bench --bench collection -- --authoring` only adds and edits 500 notes, for `perf record`.
//! `BENCH_SIZE=1m cargo bench --bench collection` measures the same on 1M cards and 10M rows.
//! The generated file is cached in target/bench-data/ (delete it to regenerate).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Days, FixedOffset};
use reprise::store::encoding::F32Bits;
use reprise::store::Store;
use reprise::{CardId, Collection, PackId, Rating};

mod support;
use support::thread_cpu;

/// The collection's size: `BENCH_SIZE=1m` for 1M cards and 10M review-log rows.
struct Size {
    cards: i64,
    revlog: i64,
    name: &'static str,
}

fn size() -> Size {
    match std::env::var("BENCH_SIZE").as_deref() {
        Ok("1m") => Size {
            cards: 1_000_000,
            revlog: 10_000_000,
            name: "1m",
        },
        Ok("100k") | Err(_) => Size {
            cards: 100_000,
            revlog: 1_000_000,
            name: "100k",
        },
        Ok(other) => panic!("BENCH_SIZE is 100k or 1m, not {other}"),
    }
}
const NOW: &str = "2026-06-15T10:00:00+02:00";

fn generate(path: &Path, now: DateTime<FixedOffset>) {
    let started = Instant::now();
    let _ = std::fs::remove_file(path);
    // A real store with its migrations, then bulk rows in one transaction.
    let mut store = Store::open(path).unwrap();
    store
        .load_in_bulk(|tx| {
            tx.execute(
                "INSERT INTO packs (id, name, version, content_hash, installed_at)
                 VALUES ('bench.pack', 'Bench', '1', 'x', 0)",
                [],
            )?;
            let mut note = tx.prepare(
                "INSERT INTO notes (id, pack_id, key, kind, fields, position)
                 VALUES (?1, 'bench.pack', ?2, 'term', pack_fields(?3), ?1)",
            )?;
            let mut card = tx.prepare(
                "INSERT INTO cards (id, note_id, template, position, state, due, stability,
                   difficulty, step, interval_days, last_review, reps, lapses)
                 VALUES (?1, ?2, ?3, ?1, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, ?11)",
            )?;
            let now_s = now.timestamp();
            let Size { cards, revlog, .. } = size();
            for n in 0..cards / 2 {
                let fields = serde_json::json!({
                    "id": format!("term-{n}"), "name": format!("Term {n}"), "aliases": [],
                    "definition": format!("The definition of term number {n}."),
                    "explanation": "A longer explanation.", "area": "bench",
                    "level": "beginner", "lessons": [], "see_also": []
                });
                note.execute(rusqlite::params![n + 1, format!("term-{n}"), fields.to_string()])?;
                for t in 0..2 {
                    let id = (n + 1) * 2 + t;
                    // 20% new, 3% learning, 77% review spread from 60 days overdue to a year ahead.
                    let bucket = id % 100;
                    let (state, due, s, d, ivl, last, reps) = match bucket {
                        0..=19 => (0, None, None, None, 0.0, None, 0),
                        20..=22 => (1, Some((now_s - 600 + (id % 3600)) * 1000), Some(0.5), Some(5.0), 0.007, Some((now_s - 900) * 1000), 1),
                        _ => {
                            let ivl = 1 + id % 200;
                            let due = now_s + (id * 7919 % (425 * 86_400)) - 60 * 86_400;
                            (2, Some(due * 1000), Some(ivl as f64 * 1.1), Some(1.0 + (id % 9) as f64), ivl as f64, Some((due - ivl * 86_400) * 1000), 5)
                        }
                    };
                    card.execute(rusqlite::params![
                        id, n + 1, if t == 0 { "forward" } else { "reverse" }, state, due, s, d, ivl, last, reps, (id % 7) / 5
                    ])?;
                }
            }
            let mut log = tx.prepare(
                "INSERT INTO revlog (uuid, card_id, reviewed_at, rating, elapsed_days, interval_days,
                   duration_ms, state_after, stability_before, difficulty_before,
                   stability_after, difficulty_after, last_interval_days, state_before)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 6000, 2, ?9, ?10, ?11, ?10, ?7, ?8)",
            )?;
            let span_ms = 2 * 365 * 86_400_000i64;
            // Answer `i` is card `i * 7 mod studied`'s at the i-th step of two years; written a
            // card at a time, oldest first, in the log's own order (by card, then time).
            let studied = cards * 8 / 10;
            let inverse = (1..studied).find(|x| x * 7 % studied == 1).expect("7 is coprime");
            let answers = (0..studied).flat_map(|card| {
                let first = card * inverse % studied;
                (first..revlog).step_by(studied as usize)
            });
            for i in answers {
                let card_id = (i * 7 % studied) + 40_000;
                let at = now.timestamp_millis() - span_ms + i * (span_ms / revlog);
                log.execute(rusqlite::params![
                    uuid::Uuid::now_v7().as_bytes().as_slice(), card_id, at, 1 + i % 4, i % 30, (i % 60) as f64,
                    // The interval before: young below 21 days, mature above; one in ten a learning step.
                    ((i / 7) % 60) as f64, if i % 10 == 0 { 1 } else { 2 },
                    F32Bits(10.0), F32Bits(5.0), F32Bits(12.0)
                ])?;
            }
            // Written in bulk, around the code that keeps the statistics' summary.
            reprise::store::review_quarters::refill(tx)?;
            Ok(())
        })
        .unwrap();
    // Fill the card browser's index as an upgraded collection does on its first open.
    store
        .conn()
        .execute(
            "INSERT INTO settings (key, value) VALUES ('card_search_stale', 'true')",
            [],
        )
        .unwrap();
    let col = Collection::open_store(store).unwrap();
    col.store()
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    eprintln!("generated {} in {:.1?}", path.display(), started.elapsed());
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

struct Sample {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

fn measure(runs: usize, mut f: impl FnMut(usize)) -> Sample {
    let mut s = Sample {
        wall: vec![],
        cpu: vec![],
    };
    for i in 0..runs {
        let (w, c) = (Instant::now(), thread_cpu());
        f(i);
        s.cpu.push(thread_cpu() - c);
        s.wall.push(w.elapsed());
    }
    s
}

fn report(name: &str, s: Sample) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<34} median wall {:>8.3} ms   median CPU {:>8.3} ms   ({} runs)",
        ms(median(s.wall.clone())),
        ms(median(s.cpu)),
        s.wall.len()
    );
}

fn main() {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let template = dir.join(format!("collection-{}.sqlite3", size().name));
    if !template.exists() {
        generate(&template, now);
    }
    // Work on a copy so every run starts from the same collection.
    let work = dir.join("work.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
    std::fs::copy(&template, &work).unwrap();
    // The app never runs ANALYZE, so its collections hold no planner statistics: nor does the
    // one measured (templates generated before this was so had them, and with SQLite's STAT4
    // each new value bound to a statement made it be prepared again: 0.05 ms per answer).
    rusqlite::Connection::open(&work)
        .unwrap()
        .execute_batch("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;")
        .unwrap();

    // Writing cards on the big collection: each a durable, undoable transaction that also
    // indexes the note for the browser and search.
    let cloze = |i: usize| {
        reprise::notes::NoteDraft::Cloze(reprise::notes::ClozeDraft {
            text: format!("{{{{c1::Raft}}}} elects a {{{{c2::leader}}}} in term {i}"),
            extra: "Terms only go up.".into(),
            tags: vec!["bench".into()],
            format: reprise::content::flash::TextFormat::Markdown,
        })
    };
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--answers") {
        let n: usize = args[i + 1].parse().unwrap();
        let mut col = Collection::open_store(Store::open(&work).unwrap()).unwrap();
        for k in 0..n {
            let t = now + Days::seconds(k as i64);
            let card = col.next_card(t).unwrap().unwrap();
            col.answer(card.card_id, Rating::Good, t, 5_000).unwrap();
        }
        println!("answered {n} cards");
        return;
    }

    if args.iter().any(|a| a == "--authoring") {
        // Only writing cards, many times: for profiling with `perf record`.
        let mut col = Collection::open_store(Store::open(&work).unwrap()).unwrap();
        for i in 0..500 {
            let added = col.add_note(None, cloze(i), now).unwrap();
            col.edit_note(added.note_id, cloze(i + 1), now).unwrap();
        }
        println!("wrote 500 notes");
        return;
    }
    report(
        "open + build today's queue",
        measure(30, |_| {
            let col = Collection::open_store(Store::open(&work).unwrap()).unwrap();
            let card = col.next_card(now).unwrap();
            assert!(card.is_some());
        }),
    );
    let mut col = Collection::open_store(Store::open(&work).unwrap()).unwrap();
    report(
        "status (counts)",
        measure(200, |_| {
            col.status(now).unwrap();
        }),
    );
    report(
        "fetch the next card",
        measure(200, |_| {
            col.next_card(now).unwrap().unwrap();
        }),
    );
    let cards: Vec<CardId> = {
        let mut stmt = col
            .store()
            .conn()
            // One card per note: answering one buries its sibling (the default setting).
            .prepare(
                "SELECT id FROM cards WHERE state = 2 AND due < ?1 AND template = 'forward'
                 ORDER BY due LIMIT 300",
            )
            .unwrap();
        let rows = stmt
            .query_map([now.timestamp_millis()], |r| r.get(0))
            .unwrap()
            .map(|r| CardId(r.unwrap()))
            .collect();
        rows
    };
    if std::env::var_os("BENCH_NO_BURY").is_some() {
        let settings = reprise::Settings {
            bury_siblings: false,
            ..col.settings().clone()
        };
        col.set_settings(settings, now).unwrap();
    }
    report(
        "answer one card (durable)",
        measure(cards.len(), |i| {
            col.answer(cards[i], Rating::Good, now, 5_000).unwrap();
        }),
    );

    report(
        "statistics screen (everything get_stats computes)",
        measure(20, |_| {
            let stats = col.stats(now).unwrap();
            assert!(stats.heatmap.total_reviews > 100_000);
        }),
    );
    report(
        "browse: full-text search, ids of the matches + first 100 rows",
        measure(200, |i| {
            let query = reprise::browse::BrowseQuery {
                text: format!("number {}", 1_000 + i * 37),
                ..Default::default()
            };
            let ids = col.browse(&query, now).unwrap();
            assert!(!ids.is_empty());
            col.browse_rows(&ids[..ids.len().min(100)], now).unwrap();
        }),
    );
    report(
        "browse: all cards sorted by due (ids)",
        measure(20, |_| {
            let query = reprise::browse::BrowseQuery {
                sort: reprise::browse::SortColumn::Due,
                ..Default::default()
            };
            assert_eq!(
                col.browse(&query, now).unwrap().len(),
                size().cards as usize
            );
        }),
    );
    let all = col
        .browse(&reprise::browse::BrowseQuery::default(), now)
        .unwrap();
    report(
        "browse: a page of 100 rows while scrolling",
        measure(200, |i| {
            let start = (i * 487) % (all.len() - 100);
            assert_eq!(
                col.browse_rows(&all[start..start + 100], now)
                    .unwrap()
                    .len(),
                100
            );
        }),
    );
    report(
        "browse: the filters' choices (packs, areas, tags, lessons)",
        measure(50, |_| {
            assert!(!col.browse_facets().unwrap().areas.is_empty());
        }),
    );

    report(
        "preview a draft (each pause in typing)",
        measure(200, |i| {
            assert_eq!(col.preview_note(None, cloze(i)).unwrap().len(), 2);
        }),
    );
    let mut added = Vec::new();
    report(
        "add a cloze note, 2 cards (durable)",
        measure(100, |i| {
            added.push(col.add_note(None, cloze(i), now).unwrap().note_id);
        }),
    );
    report(
        "edit a note: text, a card retired (durable)",
        measure(100, |i| {
            col.edit_note_fields(
                added[i],
                &[(
                    "text".into(),
                    format!("{{{{c1::Raft}}}} elects a leader ({i})"),
                )],
                now,
            )
            .unwrap();
        }),
    );
    report(
        "undo an edit",
        // Undo keeps the last 50 steps.
        measure(40, |_| {
            col.undo(now).unwrap().unwrap();
        }),
    );

    let builtin_dir = dir.join("builtin");
    let _ = std::fs::remove_dir_all(&builtin_dir);
    let col = Collection::open(&builtin_dir, now).unwrap();
    report(
        "lesson page (Markdown, diagram inlined)",
        measure(100, |_| {
            col.lesson_page(
                &PackId::from("reprise.kubernetes-containers"),
                "controllers",
            )
            .unwrap();
        }),
    );
    report(
        "library overview (6 lessons, 62 terms)",
        measure(100, |_| {
            col.library().unwrap();
        }),
    );
}
