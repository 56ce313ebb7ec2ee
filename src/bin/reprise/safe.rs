//! What may reach a terminal. Collection text comes from imported packs, which can be hostile: an
//! escape sequence in a definition could clear the screen, retitle the window, write to the
//! clipboard (OSC 52) or fake a link (OSC 8); a bidi control could show text in another order
//! than it is stored. Every human-readable line the CLI prints goes through [`terminal_safe`]
//! (`outln!`, `errln!` and the review session in [`crate::print`]), and JSON through
//! [`json_safe`].

use std::borrow::Cow;
use std::fmt::Write;

/// `text` as one line a terminal shows as written: every control character is replaced by one
/// visible character, so a field cannot change the terminal, reorder what is shown or fake
/// another row, and the width a column was padded to stays right.
///
/// - a line break (`\n`, or `\r\n`) is shown as `⏎`: one field, one row;
/// - a tab becomes a space (it jumps to the next tab stop, which would misalign columns);
/// - any other C0 control is shown as its Unicode control picture — ESC as `␛`, NUL as `␀`,
///   BEL as `␇`, a lone CR as `␍` — and DEL as `␡`;
/// - a C1 control (U+0080–U+009F, e.g. U+009B, an 8-bit CSI) and a bidi or line-breaking
///   format control (U+061C, U+200E/U+200F, U+2028–U+202E, U+2066–U+2069) are shown as `�`
///   (U+FFFD): they have no picture, and they are never needed to read the text.
///
/// Clean text, the usual case, is returned as it is, without allocating.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let Some(start) = text.find(|c: char| shown_as(c).is_some()) else {
        return Cow::Borrowed(text);
    };
    let mut safe = String::with_capacity(text.len() + 8);
    safe.push_str(&text[..start]);
    let mut chars = text[start..].chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue; // `\r\n` is one line break: one ⏎
        }
        safe.push(shown_as(c).unwrap_or(c));
    }
    Cow::Owned(safe)
}

/// What `c` is shown as, if it cannot be shown as itself.
fn shown_as(c: char) -> Option<char> {
    match c {
        '\n' => Some('⏎'),
        '\t' => Some(' '),
        // U+2400.. are the control pictures for U+0000..U+001F, in order.
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32),
        '\x7f' => Some('␡'),
        c if is_c1_or_format(c) => Some(char::REPLACEMENT_CHARACTER),
        _ => None,
    }
}

/// C1 controls and the format controls that reorder or break the text shown.
fn is_c1_or_format(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}'
            | '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// JSON text (as serde_json writes it) with DEL, the C1 controls and the bidi and line-breaking
/// format controls written as `\uXXXX` escapes. serde_json escapes only the C0 controls, and
/// these can only stand inside a string, so the JSON stays valid and means exactly the same
/// text, while a terminal it is printed to never sees them raw.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let raw = |c: char| c == '\x7f' || is_c1_or_format(c);
    let Some(start) = json.find(raw) else {
        return Cow::Borrowed(json);
    };
    let mut safe = String::with_capacity(json.len() + 16);
    safe.push_str(&json[..start]);
    for c in json[start..].chars() {
        if raw(c) {
            write!(safe, "\\u{:04x}", c as u32).expect("a String takes any text");
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        for text in ["", "kubelet → node agent", "Ünïcödé · 日本語 — emoji 👩‍💻 ok"]
        {
            assert!(matches!(terminal_safe(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(json_safe(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn escape_sequences_lose_their_escape_and_keep_their_text() {
        assert_eq!(terminal_safe("a\x1b[2Jb"), "a␛[2Jb");
        assert_eq!(
            terminal_safe("\x1b]52;c;ZXZpbA==\x07copied"),
            "␛]52;c;ZXZpbA==␇copied"
        );
        assert_eq!(
            terminal_safe("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"),
            "␛]8;;http://x␛\\link␛]8;;␛\\"
        );
    }

    #[test]
    fn each_c0_control_and_del_is_shown_as_its_picture() {
        assert_eq!(
            terminal_safe("nul\0 bs\x08 cr\r ff\x0c del\x7f"),
            "nul␀ bs␈ cr␍ ff␌ del␡"
        );
        for b in (0u8..0x20).filter(|b| !b"\n\t".contains(b)) {
            let shown = terminal_safe(&char::from(b).to_string()).into_owned();
            assert_eq!(shown.chars().count(), 1, "{b:#x}");
            assert!(shown.chars().all(|c| !c.is_control()), "{b:#x}: {shown}");
        }
    }

    #[test]
    fn line_breaks_and_tabs_cannot_make_rows_or_columns() {
        assert_eq!(
            terminal_safe("one\ntwo\r\nthree\tfour"),
            "one⏎two⏎three four"
        );
        assert!(!terminal_safe("fake\n   123  new  row").contains('\n'));
    }

    #[test]
    fn c1_and_bidi_controls_become_replacement_characters() {
        for c in [
            '\u{80}', '\u{85}', '\u{9b}', '\u{9f}', '\u{061c}', '\u{200e}', '\u{200f}', '\u{2028}',
            '\u{2029}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
        ] {
            assert_eq!(
                terminal_safe(&format!("a{c}b")),
                "a\u{fffd}b",
                "{:#x}",
                c as u32
            );
        }
        // Joiners shape scripts and emoji: they stay.
        assert_eq!(terminal_safe("\u{200d}\u{200c}"), "\u{200d}\u{200c}");
    }

    #[test]
    fn json_keeps_its_meaning_and_escapes_what_serde_leaves_raw() {
        let field = "a\x1b[2J\0\u{9b}\u{202e}\x7f\n";
        let json = serde_json::to_string(&field).unwrap();
        let safe = json_safe(&json);
        assert!(safe.is_ascii(), "{safe}");
        assert_eq!(safe, r#""a\u001b[2J\u0000\u009b\u202e\u007f\n""#);
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, field);
    }
}
