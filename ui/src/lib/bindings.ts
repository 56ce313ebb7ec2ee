// Generated from the Rust core by ts-rs (`UPDATE_BINDINGS=1 cargo test --test bindings`). Do not edit.

export type Counts = { new: number, learning: number, review: number, };

export type Status = { new: number, learning: number, review: number, total_cards: number, 
/**
 * RFC 3339; the earliest moment a studied card falls due, or null if none was studied.
 */
next_due: string | null, };

export type Rating = "again" | "hard" | "good" | "easy";

export type Intervals = { again: number, hard: number, good: number, easy: number, };

export type IntervalLabels = { again: string, hard: string, good: string, easy: string, };

export type CardState = "new" | "learning" | "review" | "relearning";

export type StudyCard = { card_id: number, state: CardState, direction: "forward" | "reverse", prompt: string, answer: string, 
/**
 * Markdown shown with the answer.
 */
detail: string, 
/**
 * `detail` rendered to sanitized HTML, safe to insert into the page.
 */
detail_html: string, intervals: Intervals, interval_labels: IntervalLabels, counts: Counts, };

export type AnswerOutcome = { card_id: number, rating: Rating, state: CardState, due: string, interval_days: number, };

export type UndoOutcome = { card_id: number, status: Status, 
/**
 * The card whose answer was undone, ready to be answered again.
 */
card: StudyCard, };

export type SearchHit = { kind: "term" | "lesson", 
/**
 * The pack holding it, and its id inside the pack.
 */
pack: string, key: string, title: string, 
/**
 * A short excerpt around the match, plain text.
 */
snippet: string, };

export type LessonSummary = { key: string, title: string, summary: string, level: "beginner" | "intermediate" | "advanced", tags: Array<string>, };

export type TermLink = { key: string, name: string, definition: string, };

export type TermPage = { pack: string, key: string, name: string, aliases: Array<string>, definition: string, 
/**
 * The explanation rendered to sanitized HTML.
 */
explanation_html: string, area: string, level: "beginner" | "intermediate" | "advanced", lessons: Array<LessonSummary>, see_also: Array<TermLink>, };

export type ErrorCode = "unknown_card" | "invalid_input" | "database" | "newer_schema" | "not_a_database" | "content" | "io";

export type AppError = { code: ErrorCode, message: string, };
