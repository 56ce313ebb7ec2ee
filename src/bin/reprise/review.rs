//! `reprise review`: the interactive study session in the terminal (raw keys through crossterm),
//! or one key per line when stdin is a pipe.

use std::fmt;
use std::io::{self, BufRead, IsTerminal};
use std::time::Instant;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use reprise::{Collection, Error, Rating, Result};

use crate::commands::Now;
use crate::print::{self, option_lines, CliResult};

/// A key the review session understands.
enum Key {
    /// Enter or Space: reveal, or submit the chosen options.
    Reveal,
    Digit(u32),
    Letter(char),
    Undo,
    Quit,
}

/// Reads keys one at a time from a terminal, or one per line from a pipe (scripts, tests).
struct Keys {
    raw: bool,
    lines: io::Lines<io::StdinLock<'static>>,
}

impl Keys {
    /// The end of a line: in raw mode a bare "\n" does not return the carriage.
    fn eol(&self) -> &'static str {
        if self.raw {
            "\r\n"
        } else {
            "\n"
        }
    }

    fn new() -> Result<Keys> {
        let raw = io::stdin().is_terminal();
        if raw {
            terminal::enable_raw_mode().map_err(|e| Error::io("the terminal", e))?;
        }
        Ok(Keys {
            raw,
            lines: io::stdin().lock().lines(),
        })
    }

    fn next(&mut self) -> Key {
        if self.raw {
            loop {
                let Ok(Event::Key(k)) = event::read() else {
                    return Key::Quit;
                };
                if k.kind != KeyEventKind::Press {
                    continue;
                }
                if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
                    return Key::Quit;
                }
                return match k.code {
                    KeyCode::Enter | KeyCode::Char(' ') => Key::Reveal,
                    KeyCode::Char(c) => Self::key_for(&c.to_string()),
                    KeyCode::Esc => Key::Quit,
                    _ => Key::Letter('\0'),
                };
            }
        }
        match self.lines.next() {
            None | Some(Err(_)) => Key::Quit,
            Some(Ok(line)) if line.trim().is_empty() => Key::Reveal,
            Some(Ok(line)) => Self::key_for(line.trim()),
        }
    }

    fn key_for(s: &str) -> Key {
        match s {
            "u" => Key::Undo,
            "q" => Key::Quit,
            _ => match s.parse() {
                Ok(n) => Key::Digit(n),
                Err(_) => Key::Letter(s.chars().next().unwrap_or('\0')),
            },
        }
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        if self.raw {
            let _ = terminal::disable_raw_mode();
        }
    }
}

/// Prints one terminal-safe line (a line break in a value shows as ⏎) and flushes it.
fn say_line(keys: &Keys, line: fmt::Arguments) -> CliResult<()> {
    print::write_line_ending(line, keys.eol())?;
    print::flush()
}

/// `say!(keys, "…", …)`: one line, as [`say_line`] prints it.
macro_rules! say {
    ($keys:expr, $($arg:tt)*) => {
        say_line($keys, format_args!($($arg)*))
    };
}

/// Prints a card's details, Markdown of several lines, a line each.
fn say_detail(keys: &Keys, detail: &str) -> CliResult<()> {
    detail.lines().try_for_each(|line| say!(keys, "{line}"))
}

pub fn review(col: &mut Collection, now: Now) -> CliResult<()> {
    let mut keys = Keys::new()?;
    let mut reviewed = 0;
    loop {
        let Some(card) = col.next_card(now())? else {
            say!(&keys, "All done for now: {reviewed} reviewed.")?;
            return Ok(());
        };
        let c = &card.counts;
        say!(&keys, "")?;
        say!(
            &keys,
            "[{} new · {} learning · {} review]  card {} ({})",
            c.new,
            c.learning,
            c.review,
            card.card_id,
            card.state.as_str()
        )?;
        say!(&keys, "{}", card.prompt)?;
        say!(&keys, "(Enter shows the answer, u undoes, q quits)")?;
        let shown = Instant::now();
        let elapsed_ms = || shown.elapsed().as_millis().min(u128::from(u32::MAX)) as u32;
        let mut revealed = false;
        let mut chosen: Vec<u32> = Vec::new();
        let id = card.card_id;
        if card.quiz.is_some() {
            for option in option_lines(&card) {
                say!(&keys, "{option}")?;
            }
            say!(&keys, "(type the numbers of your choices, then Enter)")?;
        }
        loop {
            let key = keys.next();
            let outcome = match (key, &card.quiz, revealed) {
                (Key::Quit, ..) => return Ok(()),
                (Key::Undo, ..) => {
                    let undone = col.undo(now())?;
                    if undone.is_some() {
                        say!(&keys, "Undone.")?;
                    } else {
                        say!(&keys, "Nothing to undo.")?;
                    }
                    break;
                }
                (Key::Digit(n), Some(quiz), false)
                    if (1..=quiz.options.len() as u32).contains(&n) =>
                {
                    if let Some(at) = chosen.iter().position(|&c| c == n - 1) {
                        chosen.remove(at);
                    } else {
                        chosen.push(n - 1);
                    }
                    let list: Vec<String> = chosen.iter().map(|c| (c + 1).to_string()).collect();
                    say!(&keys, "chosen: {}", list.join(", "))?;
                    continue;
                }
                (Key::Reveal, Some(quiz), false) if !chosen.is_empty() => {
                    if !quiz.is_right(&chosen) {
                        col.answer_quiz(id, &chosen, None, now(), elapsed_ms())?
                    } else {
                        revealed = true;
                        say!(&keys, "Right.")?;
                        say_detail(&keys, &card.detail)?;
                        say!(
                            &keys,
                            "Enter Good {} · h Hard {} · e Easy {}",
                            card.interval_labels.good,
                            card.interval_labels.hard,
                            card.interval_labels.easy
                        )?;
                        continue;
                    }
                }
                (key @ (Key::Reveal | Key::Letter('h' | 'e')), Some(_), true) => {
                    let rating = match key {
                        Key::Letter('h') => Rating::Hard,
                        Key::Letter('e') => Rating::Easy,
                        _ => Rating::Good,
                    };
                    col.answer_quiz(id, &chosen, Some(rating), now(), elapsed_ms())?
                }
                (Key::Reveal, None, false) => {
                    revealed = true;
                    let l = &card.interval_labels;
                    say!(&keys, "→ {}", card.answer)?;
                    say_detail(&keys, &card.detail)?;
                    say!(
                        &keys,
                        "1 Again {} · 2 Hard {} · 3 Good {} · 4 Easy {}",
                        l.again,
                        l.hard,
                        l.good,
                        l.easy
                    )?;
                    continue;
                }
                (Key::Digit(n), None, true) => match Rating::from_number(i64::from(n)) {
                    Some(rating) => col.answer(id, rating, now(), elapsed_ms())?,
                    None => continue,
                },
                _ => continue,
            };
            reviewed += 1;
            if outcome.rating == Rating::Again && card.quiz.is_some() {
                say!(&keys, "Not quite: {}", card.answer)?;
                say_detail(&keys, &card.detail)?;
            }
            // Printed only once the answer is committed: this line is the acknowledgement.
            say!(
                &keys,
                "Saved: {} → {} until {}",
                outcome.rating.as_str(),
                outcome.state.as_str(),
                outcome.due
            )?;
            break;
        }
    }
}
