//! The card browser's search query, written so FTS5 reads little of its index.
//!
//! FTS5 evaluates a prefix word (`"number"*`) by merging, whole, the doclists of every term it
//! starts before intersecting them with the other words': a word found in every card reads a
//! posting per card (28 ms at a million cards). A plain term is read lazily instead, skipping to
//! the cards the other words match. So a word whose prefix starts only a few terms is written as
//! those terms: `"number"*` becomes `"number"` when "number" is the only term in the index that
//! starts so, and `"numb"*` becomes `("number" OR "numbered")`. The terms come from the index's
//! own vocabulary and every word goes through FTS5's own tokenizer (a temporary table made like
//! `card_search`), so the query matches exactly the cards the prefixes match.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// `card_search`'s tokenizer (migration 14); a test checks the two agree.
const TOKENIZER: &str = "porter unicode61";

/// A prefix starting more terms than this stays a prefix: an OR of many terms reads about as
/// much as their merge, and each term costs a lookup in the vocabulary.
const MOST_TERMS: usize = 8;

/// The FTS5 query for `words` (each matched as a prefix, all required), or `None` when a word
/// starts no term in the index, so no card can match.
pub fn query(conn: &Connection, words: &[String]) -> Result<Option<String>> {
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words
           USING fts5(word, tokenize = '{TOKENIZER}');
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words_vocab
           USING fts5vocab(temp, query_words, instance);
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.card_search_vocab
           USING fts5vocab(main, card_search, instance);"
    ))?;
    let tokens = tokenize(conn, words)?;
    let mut parts = Vec::with_capacity(words.len());
    for (word, tokens) in words.iter().zip(&tokens) {
        match tokens.as_slice() {
            // None: FTS5 decides, as for any prefix (an empty phrase matches nothing).
            [] => parts.push(as_prefix(word)),
            [token] => match token_query(conn, token)? {
                Some(Part::Terms(terms)) => parts.push(terms),
                Some(Part::Prefix) => parts.push(as_prefix(word)),
                None => return Ok(None),
            },
            // A word the tokenizer splits (it does at some scripts' combining marks): the index
            // keeps no places (migration 19), so its tokens are matched anywhere in the card,
            // each as a prefix, the way FTS5 would read each of them typed alone.
            tokens => {
                for token in tokens {
                    match token_query(conn, token)? {
                        Some(Part::Terms(terms)) => parts.push(terms),
                        Some(Part::Prefix) => parts.push(as_prefix(token)),
                        None => return Ok(None),
                    }
                }
            }
        }
    }
    // An implicit AND does not reach a parenthesized group in FTS5's grammar.
    Ok(Some(parts.join(" AND ")))
}

/// How a token is matched as a prefix: by the index's terms that start with it.
enum Part {
    /// Those terms, OR-ed.
    Terms(String),
    /// Too many terms start with it, or one would be stemmed again: FTS5's own prefix query.
    Prefix,
}

/// The query part for `token`, or `None` when no term starts with it, so no card can match.
fn token_query(conn: &Connection, token: &str) -> Result<Option<Part>> {
    Ok(match terms_starting(conn, token)? {
        Some(terms) if terms.is_empty() => None,
        Some(terms) if is_stable(conn, &terms)? => Some(Part::Terms(any_of(&terms))),
        _ => Some(Part::Prefix),
    })
}

/// The tokens FTS5 makes of each text, in order.
fn tokenize(conn: &Connection, texts: &[String]) -> Result<Vec<Vec<String>>> {
    conn.execute("DELETE FROM temp.query_words", [])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO temp.query_words (rowid, word) VALUES (?1, ?2)")?;
    for (i, text) in texts.iter().enumerate() {
        insert.execute((i as i64, text))?;
    }
    let mut tokens = vec![Vec::new(); texts.len()];
    let mut select =
        conn.prepare_cached("SELECT doc, term FROM temp.query_words_vocab ORDER BY doc, offset")?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let doc: i64 = row.get(0)?;
        tokens[doc as usize].push(row.get(1)?);
    }
    Ok(tokens)
}

/// The terms of `card_search` that start with `prefix`, or `None` if there are more than
/// [`MOST_TERMS`]. Each is found by a seek in the vocabulary: the instance table honours
/// `term >=` and `term <`, where counting a term (the row table) would read its whole doclist.
fn terms_starting(conn: &Connection, prefix: &str) -> Result<Option<Vec<String>>> {
    // No token holds U+0001 or U+10FFFF (both separators), so these bound the terms after
    // `term` and the terms starting with `prefix`, in the bytewise order of the vocabulary.
    let past = format!("{prefix}\u{10FFFF}");
    let mut from = prefix.to_owned();
    let mut terms = Vec::new();
    let mut next = conn.prepare_cached(
        "SELECT term FROM temp.card_search_vocab WHERE term >= ?1 AND term < ?2 LIMIT 1",
    )?;
    while let Some(term) = next
        .query_row((&from, &past), |row| row.get::<_, String>(0))
        .optional()?
    {
        if terms.len() == MOST_TERMS {
            return Ok(None);
        }
        from = format!("{term}\u{1}");
        terms.push(term);
    }
    Ok(Some(terms))
}

/// Whether each term, typed as a word, is tokenized to itself. Stemming is not idempotent
/// (Porter stems "agreed" to "agre", and "agre" to "agr"), and a term that is not would match
/// something else in a query.
fn is_stable(conn: &Connection, terms: &[String]) -> Result<bool> {
    let tokens = tokenize(conn, terms)?;
    Ok(terms
        .iter()
        .zip(&tokens)
        .all(|(term, tokens)| tokens.len() == 1 && &tokens[0] == term))
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn as_prefix(word: &str) -> String {
    format!("{}*", quoted(word))
}

fn any_of(terms: &[String]) -> String {
    match terms {
        [term] => quoted(term),
        _ => format!(
            "({})",
            terms
                .iter()
                .map(|t| quoted(t))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::study::search::query_words;

    fn store() -> (tempfile::TempDir, crate::store::Store) {
        let dir = tempfile::TempDir::new().unwrap();
        let store = crate::store::Store::open_in(dir.path()).unwrap();
        (dir, store)
    }

    fn index(conn: &Connection, docs: &[&str]) {
        conn.execute("DELETE FROM card_search", []).unwrap();
        for (i, doc) in docs.iter().enumerate() {
            conn.execute(
                "INSERT INTO card_search (rowid, prompt, answer, context) VALUES (?1, ?2, '', '')",
                (i as i64 + 1, doc),
            )
            .unwrap();
        }
    }

    fn matches(conn: &Connection, query: &str) -> Vec<i64> {
        conn.prepare("SELECT rowid FROM card_search WHERE card_search MATCH ?1 ORDER BY rowid")
            .unwrap()
            .query_map([query], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// The rows the rewritten query matches, and the rows the words' prefixes match: each word
    /// typed as a prefix, or each of its tokens when the tokenizer splits it (the index has no
    /// places for a phrase).
    fn both(conn: &Connection, text: &str) -> (Vec<i64>, Vec<i64>) {
        let words = query_words(text);
        let rewritten = query(conn, &words)
            .unwrap()
            .map_or_else(Vec::new, |q| matches(conn, &q));
        let tokens = tokenize(conn, &words).unwrap();
        let prefixes: Vec<String> = (words.iter().zip(&tokens))
            .flat_map(|(word, tokens)| match tokens.len() {
                0 | 1 => vec![as_prefix(word)],
                _ => tokens.iter().map(|t| as_prefix(t)).collect(),
            })
            .collect();
        (rewritten, matches(conn, &prefixes.join(" AND ")))
    }

    #[test]
    fn the_tokenizer_is_the_card_indexs() {
        let (_dir, store) = store();
        let sql: String = store
            .conn()
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'card_search'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sql.contains(&format!("tokenize = '{TOKENIZER}'")), "{sql}");
        // No places are kept: the query never asks for a phrase.
        assert!(sql.contains("detail = none"), "{sql}");
    }

    #[test]
    fn a_prefix_of_few_terms_becomes_those_terms_and_of_none_matches_nothing() {
        let (_dir, store) = store();
        let conn = store.conn();
        index(
            conn,
            &[
                "the number agreed",
                "numbered lists",
                "a numb foot",
                "other",
            ],
        );
        let words = |text: &str| query_words(text);
        // "number" and "numbered" stem to "number"; "numb" is a term of its own.
        assert_eq!(
            query(conn, &words("numb")).unwrap().as_deref(),
            Some("(\"numb\" OR \"number\")")
        );
        assert_eq!(
            query(conn, &words("numbers")).unwrap().as_deref(),
            Some("\"number\"")
        );
        assert_eq!(query(conn, &words("zebra number")).unwrap(), None);
        // "agreed" is indexed as "agre", which Porter would stem again to "agr": it stays a prefix.
        assert_eq!(
            query(conn, &words("agre")).unwrap().as_deref(),
            Some("\"agre\"*")
        );
        assert_eq!(both(conn, "agre numb"), (vec![1], vec![1]));
    }

    /// U+0947, a vowel sign, is a letter to `query_words` (Rust's `is_alphanumeric`) but a
    /// separator to FTS5's unicode61: "केख" is one word typed and two tokens. The index keeps no
    /// places (migration 19), so FTS5 refuses a phrase; the tokens are matched anywhere.
    #[test]
    fn a_word_the_tokenizer_splits_matches_its_tokens_anywhere_in_a_card() {
        let (_dir, store) = store();
        let conn = store.conn();
        let word = "\u{0915}\u{0947}\u{0916}";
        assert_eq!(query_words(word), [word]);
        query(conn, &[]).unwrap(); // (makes the tokenizer's table)
        let tokens = tokenize(conn, &[word.to_owned()]).unwrap();
        assert_eq!(tokens[0], ["\u{0915}", "\u{0916}"]);
        index(
            conn,
            &["\u{0916} x \u{0915}", "\u{0915} only", "\u{0916} only"],
        );
        assert_eq!(both(conn, word), (vec![1], vec![1]));
        assert_eq!(both(conn, &format!("{word} x")), (vec![1], vec![1]));
        assert_eq!(both(conn, &format!("{word} only")), (vec![], vec![]));
        // A token no term starts with: nothing can match.
        index(conn, &["\u{0915} only"]);
        assert_eq!(query(conn, &query_words(word)).unwrap(), None);
    }

    #[test]
    fn a_prefix_of_many_terms_stays_a_prefix() {
        let (_dir, store) = store();
        let conn = store.conn();
        let docs: Vec<String> = (0..=MOST_TERMS).map(|i| format!("word{i}")).collect();
        index(conn, &docs.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            query(conn, &query_words("word")).unwrap().as_deref(),
            Some("\"word\"*")
        );
        index(
            conn,
            &docs[1..].iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let rewritten = query(conn, &query_words("word")).unwrap().unwrap();
        assert!(rewritten.starts_with("(\"word1\" OR "), "{rewritten}");
        assert_eq!(matches(conn, &rewritten).len(), MOST_TERMS);
    }

    /// Words from a few stems and endings, so prefixes collide and stemming changes them.
    fn word() -> impl Strategy<Value = String> {
        let stems = ["agre", "numb", "gener", "caf", "nam", "a", "the", "x"];
        let endings = [
            "",
            "e",
            "ed",
            "er",
            "ers",
            "alization",
            "é",
            "\u{0938}\u{094d}\u{0924}\u{0947}",
            "2",
        ];
        (0..stems.len(), 0..endings.len())
            .prop_map(move |(s, e)| format!("{}{}", stems[s], endings[e]))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn the_rewritten_query_matches_what_the_prefixes_match(
            docs in prop::collection::vec(prop::collection::vec(word(), 1..5), 1..12),
            typed in prop::collection::vec((word(), 1usize..12), 1..4),
        ) {
            let (_dir, store) = store();
            let conn = store.conn();
            let docs: Vec<String> = docs.iter().map(|d| d.join(" ")).collect();
            index(conn, &docs.iter().map(String::as_str).collect::<Vec<_>>());
            // What the learner types: the start of each word, cut at a character.
            let text: Vec<String> = typed
                .iter()
                .map(|(w, n)| w.chars().take(*n).collect())
                .collect();
            let (rewritten, prefixes) = both(conn, &text.join(" "));
            prop_assert_eq!(rewritten, prefixes, "{:?} in {:?}", text, docs);
        }
    }
}
