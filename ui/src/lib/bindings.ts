// Generated from the Rust core by ts-rs (`UPDATE_BINDINGS=1 cargo test --test bindings`). Do not edit.

export type CardId = number;

export type NoteId = number;

export type PackId = string;

export type Counts = { new: number, learning: number, review: number, };

export type Status = { new: number, learning: number, review: number, 
/**
 * Every card in the collection, hidden ones and quiz questions waiting for their lesson
 * included: the number the statistics, the browser and the packs add up to.
 */
total_cards: number, 
/**
 * RFC 3339; the earliest moment a studied card falls due, or null if none was studied.
 */
next_due: string | null, };

export type Rating = "again" | "hard" | "good" | "easy";

export type Intervals = { again: number, hard: number, good: number, easy: number, };

export type IntervalLabels = { again: string, hard: string, good: string, easy: string, };

export type CardState = "new" | "learning" | "review" | "relearning";

export type QuizPrompt = { kind: "single" | "multiple" | "true_false", options: Array<string>, 
/**
 * The right options, sorted; shown once the learner has chosen.
 */
correct: Array<number>, lesson_key: string, lesson_title: string, };

export type StudyCard = { card_id: CardId, state: CardState, direction: "forward" | "reverse" | "quiz", prompt: string, answer: string, 
/**
 * For a flash card (from Anki): the prompt and answer as sanitized HTML with their images
 * and sounds inlined; `prompt` and `answer` are then their plain text.
 */
prompt_html: string | null, answer_html: string | null, 
/**
 * Markdown shown with the answer.
 */
detail: string, 
/**
 * `detail` rendered to sanitized HTML, safe to insert into the page.
 */
detail_html: string, 
/**
 * For a quiz card: its options, answered with [`Collection::answer_quiz`](crate::Collection::answer_quiz).
 */
quiz: QuizPrompt | null, intervals: Intervals, interval_labels: IntervalLabels, counts: Counts, 
/**
 * The chance, by FSRS, that the learner recalls it now; null for a new card.
 */
retrievability: number | null, };

export type AnswerOutcome = { card_id: CardId, rating: Rating, state: CardState, due: string, interval_days: number, 
/**
 * The answer made the card a leech: its note is tagged `leech` (and the card suspended, if
 * the learner chose that).
 */
leech: boolean, 
/**
 * Times the card has been forgotten, this answer included.
 */
lapses: number, };

export type UndoOutcome = { 
/**
 * What was undone: `answer`, or a card action's name.
 */
action: string, 
/**
 * The card the step was about; null when it was about several cards.
 */
card_id: CardId | null, 
/**
 * How many cards the undone step changed.
 */
cards: number, status: Status, 
/**
 * The card the step was about, ready to study again; null when the step was about several
 * cards, or the card is not studiable now.
 */
card: StudyCard | null, };

export type SearchHit = { kind: "term" | "lesson", 
/**
 * The pack holding it, and its id inside the pack.
 */
pack: PackId, key: string, title: string, 
/**
 * A short excerpt around the match, plain text.
 */
snippet: string, };

export type Score = { correct: number, total: number, 
/**
 * RFC 3339, UTC.
 */
taken_at: string, };

export type LessonSummary = { key: string, title: string, summary: string, level: "beginner" | "intermediate" | "advanced", tags: Array<string>, 
/**
 * The best quiz score so far; none until the lesson is finished.
 */
best: Score | null, };

export type TermLink = { 
/**
 * The term's pack: a see-also link may lead to another pack's term.
 */
pack: PackId, key: string, name: string, definition: string, level: "beginner" | "intermediate" | "advanced", };

export type TermPage = { pack: PackId, key: string, 
/**
 * The term's note, to edit it.
 */
note_id: NoteId, 
/**
 * Whether the learner changed the pack's text of the term (the editor shows both).
 */
edited: boolean, name: string, aliases: Array<string>, definition: string, 
/**
 * The explanation rendered to sanitized HTML.
 */
explanation_html: string, area: string, level: "beginner" | "intermediate" | "advanced", lessons: Array<LessonSummary>, see_also: Array<TermLink>, 
/**
 * https addresses where the term's facts can be checked.
 */
sources: Array<string>, };

export type LibraryArea = { pack: PackId, key: string, name: string, description_html: string, 
/**
 * Whether its pack is switched on: an area switched off can be read, but its cards are not
 * studied.
 */
enabled: boolean, 
/**
 * In learning order.
 */
lessons: Array<LessonSummary>, 
/**
 * By name.
 */
terms: Array<TermLink>, };

export type LessonQuestion = { id: string, kind: "single" | "multiple" | "true_false", prompt: string, options: Array<string>, 
/**
 * The right options (0-based, sorted), to explain each answer as it is given.
 */
correct: Array<number>, explanation_html: string, };

export type LessonPage = { summary: LessonSummary, area: string, 
/**
 * The body rendered to sanitized HTML, diagrams inlined.
 */
body_html: string, 
/**
 * The terms the lesson teaches.
 */
terms: Array<TermLink>, questions: Array<LessonQuestion>, 
/**
 * How many times the quiz was taken.
 */
attempts: number, };

export type QuizResult = { score: Score, 
/**
 * Which questions were answered right, in order.
 */
right: Array<boolean>, 
/**
 * New cards this moved to the front of the new cards: the questions (the first time) and
 * the lesson's terms not yet studied.
 */
cards_queued: number, };

export type PackInfo = { id: PackId, name: string, version: string, enabled: boolean, builtin: boolean, 
/**
 * Made in the app ("My cards" and the like): the learner's own notes.
 */
personal: boolean, notes: number, cards: number, };

export type CurriculumArea = { pack: PackId, name: string, description_html: string, terms: number, lessons: number, 
/**
 * Whether its cards are studied (the pack is enabled).
 */
enabled: boolean, 
/**
 * Its cards answered at least once: what switching it off would set aside.
 */
studied: number, };

export type ImportProgress = { stage: "reading" | "saving" | "indexing" | "done", 
/**
 * What `done` and `total` count, in the order an import meets them. Reading: an Anki
 * package's "rows" (of its notes, cards and log, from its collection), its "reviews" (the
 * log replayed through the scheduler), then its "notes" converted, or a pack's "terms"
 * read and checked. Saving: "reviews" (log rows), "notes" (or "terms") and "cards"
 * written. Indexing: "cards" indexed for search (an Anki package imported the first time
 * has them indexed as they are saved), then "tables" whose indexes are built again after a
 * large deck. Empty while the file opens.
 */
unit: "" | "rows" | "notes" | "terms" | "reviews" | "cards" | "tables", 
/**
 * How many of `total` are done (both 0 until the file is open).
 */
done: number, total: number, };

export type Skipped = { 
/**
 * Where it is: "line 12", "terms/x.md", …
 */
entry: string, reason: string, };

export type ImportReport = { pack: PackId, name: string, format: "pack" | "csv" | "anki", 
/**
 * Notes (terms, quiz questions) new to the collection.
 */
added: number, 
/**
 * Notes already there whose text changed; their progress is kept.
 */
updated: number, 
/**
 * Notes already there, unchanged.
 */
unchanged: number, new_cards: number, 
/**
 * Review-log rows taken in (Anki packages).
 */
reviews: number, 
/**
 * Cards already answered in Reprise, whose progress was kept over the file's.
 */
kept: number, skipped: Array<Skipped>, };

export type PreviewRow = { term: string, definition: string, tags: Array<string>, };

export type TablePreview = { pack: PackId, name: string, 
/**
 * What separates the fields: ",", ";" or "tab".
 */
delimiter: string, 
/**
 * Whether the first row was read as column names and left out.
 */
header: boolean, 
/**
 * Terms the import would add or update.
 */
terms: number, 
/**
 * The first few of them, as they will be imported.
 */
sample: Array<PreviewRow>, skipped: Array<Skipped>, };

export type BackupInfo = { path: string, 
/**
 * RFC 3339, UTC.
 */
created: string, bytes: number, };

export type Upgrade = { 
/**
 * The schema version of the file.
 */
from: number, 
/**
 * The version this build writes.
 */
to: number, };

export type LeechAction = "tag" | "suspend";

export type NewCardOrder = "lessons" | "random";

export type ReviewOrder = "due" | "retrievability";

export type Settings = { 
/**
 * Probability of recall FSRS aims for when a review falls due (0.70–0.99).
 */
desired_retention: number, 
/**
 * New cards introduced per day.
 */
new_per_day: number, 
/**
 * Reviews per day; new cards count against it too.
 */
reviews_per_day: number, 
/**
 * Local hour (0–23) at which a new study day starts.
 */
rollover_hour: number, 
/**
 * Longest interval a review may get, in days.
 */
maximum_interval_days: number, 
/**
 * Same-day steps for new cards, in minutes.
 */
learning_steps_minutes: Array<number>, 
/**
 * Same-day steps after a lapse, in minutes.
 */
relearning_steps_minutes: Array<number>, 
/**
 * Spread review intervals a little so cards learned together do not stay together.
 */
fuzz: boolean, 
/**
 * Learning cards due within this many minutes are shown when nothing else is left.
 */
learn_ahead_minutes: number, 
/**
 * FSRS model parameters; empty means the crate's defaults.
 */
fsrs_parameters: Array<number>, 
/**
 * After answering a card, its siblings (a term's other direction) wait until tomorrow.
 */
bury_siblings: boolean, 
/**
 * Lapses after which a card is a leech; again every half as many lapses after that.
 */
leech_threshold: number, leech_action: LeechAction, new_card_order: NewCardOrder, review_order: ReviewOrder, 
/**
 * New cards wait until this date (the learner's day), while a backlog is caught up.
 */
pause_new_until: string | null, };

export type CardAction = { "kind": "suspend" } | { "kind": "unsuspend" } | { "kind": "bury" } | { "kind": "reset" } | { "kind": "set_due", days: number, } | { "kind": "tag", tag: string, } | { "kind": "untag", tag: string, };

export type ActionReport = { action: string, 
/**
 * Cards the action changed; the others were already that way.
 */
changed: number, };

export type Evaluation = { 
/**
 * Mean log loss of the predicted recall against what happened.
 */
log_loss: number, 
/**
 * Root mean square error between predicted and actual recall, over bins of similar reviews.
 */
rmse_bins: number, };

export type OptimizeProgress = { 
/**
 * `reading`, `training`, `evaluating` or `saving`.
 */
stage: string, done: number, total: number, };

export type OptimizeReport = { 
/**
 * Reviews the parameters were fitted to (training items).
 */
reviews: number, 
/**
 * Cards those reviews come from.
 */
cards: number, old: Evaluation, new: Evaluation, old_parameters: Array<number>, new_parameters: Array<number>, 
/**
 * Whether the new parameters predicted better and are now in use.
 */
adopted: boolean, 
/**
 * Review cards given a new due date from their recomputed memory.
 */
rescheduled: number, };

export type WorkloadPoint = { desired_retention: number, 
/**
 * Cards studied a day on average over the year (reviews and new cards).
 */
reviews_per_day: number, 
/**
 * Minutes of study a day on average, at FSRS's typical seconds per answer.
 */
minutes_per_day: number, 
/**
 * Cards the learner would recall at the end of the year if asked about all of them.
 */
memorized: number, };

export type Workload = { days: number, 
/**
 * Cards simulated: those studied so far plus the new ones still to come.
 */
cards: number, new_per_day: number, points: Array<WorkloadPoint>, };

export type Backlog = { 
/**
 * Review cards due before today.
 */
overdue: number, 
/**
 * The learner's date new cards wait until, if paused.
 */
new_paused_until: string | null, };

export type Spread = { cards: number, days: number, 
/**
 * The learner's date new cards come back.
 */
new_paused_until: string | null, };

export type StudyDay = { date: string, reviews: number, 
/**
 * Time spent answering, in seconds.
 */
seconds: number, };

export type Heatmap = { days: Array<StudyDay>, 
/**
 * Days in a row with reviews, ending today (or yesterday, if none yet today).
 */
streak: number, longest_streak: number, days_studied: number, total_reviews: number, };

export type DueCount = { 
/**
 * The first day of the day or week.
 */
date: string, cards: number, };

export type Forecast = { 
/**
 * Cards due on each of the next 30 days (today first, overdue cards included today).
 */
days: Array<DueCount>, 
/**
 * Cards due in each week of the next year (from today).
 */
weeks: Array<DueCount>, };

export type Passes = { passed: number, reviews: number, 
/**
 * passed / reviews; null without reviews.
 */
rate: number | null, };

export type RetentionPeriod = { 
/**
 * `today`, `yesterday`, `week` (last 7 days), `month` (30) or `year` (365).
 */
period: string, young: Passes, mature: Passes, all: Passes, };

export type CardCounts = { 
/**
 * By state, among the cards that may be studied.
 */
new: number, learning: number, review: number, relearning: number, suspended: number, buried: number, 
/**
 * In disabled packs.
 */
disabled: number, total: number, };

export type PackCount = { pack: PackId, name: string, cards: number, new: number, };

export type AreaCount = { area: string, cards: number, };

export type Bin = { label: string, low: number, high: number, cards: number, };

export type Buttons = { learning: [number, number, number, number], young: [number, number, number, number], mature: [number, number, number, number], };

export type Stats = { 
/**
 * The learner's date today.
 */
today: string, desired_retention: number, heatmap: Heatmap, forecast: Forecast, retention: Array<RetentionPeriod>, counts: CardCounts, packs: Array<PackCount>, areas: Array<AreaCount>, stability: Array<Bin>, difficulty: Array<Bin>, retrievability: Array<Bin>, 
/**
 * Mean chance of recall now over the studied cards; null if none.
 */
average_retrievability: number | null, buttons: Buttons, };

export type DueFilter = "today" | "overdue";

export type SortColumn = "added" | "due" | "interval" | "stability" | "difficulty" | "retrievability" | "lapses" | "reviews";

export type BrowseQuery = { 
/**
 * Words to find in a card's prompt, answer or context (each a prefix).
 */
text: string, state: CardState | null, due: DueFilter | null, 
/**
 * Only suspended cards (true) or only the others (false).
 */
suspended: boolean | null, 
/**
 * Only cards whose note is tagged `leech`.
 */
leech: boolean, 
/**
 * A term's area or a flash note's deck.
 */
area: string | null, pack: PackId | null, tag: string | null, 
/**
 * A lesson's key: its questions and its terms' cards.
 */
lesson: string | null, sort: SortColumn, descending: boolean, };

export type BrowseRow = { card_id: CardId, 
/**
 * The note the card asks about (its siblings share it).
 */
note_id: NoteId, prompt: string, answer: string, direction: string, pack: PackId, area: string, state: CardState, 
/**
 * RFC 3339 in UTC; null while new.
 */
due: string | null, interval_days: number, stability: number | null, difficulty: number | null, 
/**
 * Chance of recall now; null while new.
 */
retrievability: number | null, lapses: number, reviews: number, suspended: boolean, buried: boolean, leech: boolean, };

export type BrowseFacets = { 
/**
 * (id, name) of each pack.
 */
packs: Array<[PackId, string]>, areas: Array<string>, tags: Array<string>, 
/**
 * (key, title) of each lesson.
 */
lessons: Array<[string, string]>, };

export type ReviewEntry = { id: string, reviewed_at: string, rating: Rating, elapsed_days: number, interval_days: number, duration_ms: number, state_before: CardState, state_after: CardState, stability_before: number | null, difficulty_before: number | null, stability_after: number, difficulty_after: number, };

export type CardInfo = { card_id: CardId, 
/**
 * The note the card asks about (its siblings share it).
 */
note_id: NoteId, direction: string, prompt: string, answer: string, state: CardState, stability: number | null, difficulty: number | null, retrievability: number | null, due: string | null, interval_days: number, reps: number, lapses: number, last_review: string | null, reviews: Array<ReviewEntry>, };

export type CardDetail = { card: StudyCard, info: CardInfo, tags: Array<string>, };

export type ErrorCode = "not_found" | "not_studiable" | "invalid" | "corrupt" | "scheduler" | "database" | "newer_schema" | "not_a_database" | "content" | "import" | "cancelled" | "not_enough_history" | "io";

export type AppError = { code: ErrorCode, message: string, 
/**
 * For `invalid`: the field or setting at fault, so a form can mark it.
 */
field?: string, };

export type Changes = { 
/**
 * Cards' schedules, suspension, burial or presence (counts and queues).
 */
cards: boolean, 
/**
 * Notes' text or tags.
 */
notes: boolean, 
/**
 * The review log (statistics, history).
 */
revlog: boolean, settings: boolean, 
/**
 * Installed packs: added, updated, enabled, disabled or removed.
 */
packs: boolean, 
/**
 * Lessons finished and quiz scores.
 */
lessons: boolean, };

export type SyncReport = { 
/**
 * Events of this device written out.
 */
sent: number, 
/**
 * Events of other devices read in.
 */
received: number, 
/**
 * Cards whose state was folded again from their events.
 */
cards_merged: number, 
/**
 * Segments not complete yet (a sync tool still delivering them): read next time.
 */
waiting: number, 
/**
 * Packs other devices imported, imported here.
 */
packs: number, 
/**
 * Things the learner should know; never a choice to make.
 */
notices: Array<string>, };

export type DeviceInfo = { id: string, name: string, version: string, 
/**
 * When it last wrote its changes out, RFC 3339.
 */
last_seen: string | null, this_device: boolean, };

export type SyncStatus = { 
/**
 * Where this collection syncs; null when sync is off.
 */
target: string | null, device: DeviceInfo | null, 
/**
 * The other devices seen.
 */
devices: Array<DeviceInfo>, 
/**
 * RFC 3339; null before the first sync.
 */
last_sync: string | null, 
/**
 * Changes of this device not written out yet.
 */
pending: number, };

export type SyncProgress = { stage: string, done: number, total: number, };

export type SyncActivity = { running: boolean, 
/**
 * How far the running sync has got.
 */
progress: SyncProgress | null, 
/**
 * What the last sync did; null before the first.
 */
last: SyncReport | null, 
/**
 * Why the last sync failed (it is tried again); null if it did not.
 */
error: string | null, };

export type DevicePrefs = { 
/**
 * The desktop's zoom, from 0.5 to 2 (1 is 100 %).
 */
zoom: number, 
/**
 * "HH:MM", the local time of the daily reminder of the cards due; null for none.
 */
reminder: string | null, };

export type About = { version: string, data_dir: string, };

export type TextFormat = "html" | "markdown";

export type TermDraft = { name: string, aliases: Array<string>, 
/**
 * One sentence.
 */
definition: string, 
/**
 * Markdown.
 */
explanation: string, 
/**
 * The area it belongs to: a pack's area id, or any label for the learner's own.
 */
area: string, level: "beginner" | "intermediate" | "advanced", 
/**
 * Term ids of the same pack, or `<pack id>/<term id>`.
 */
see_also: Array<string>, tags: Array<string>, };

export type BasicDraft = { front: string, back: string, reverse: boolean, tags: Array<string>, 
/**
 * Markdown for notes written here; HTML for notes imported from other apps.
 */
format: TextFormat, };

export type ClozeDraft = { text: string, 
/**
 * Shown with every answer.
 */
extra: string, tags: Array<string>, format: TextFormat, };

export type NoteDraft = { "kind": "term" } & TermDraft | { "kind": "basic" } & BasicDraft | { "kind": "cloze" } & ClozeDraft;

export type NoteAdded = { note_id: NoteId, pack: PackId, card_ids: Array<CardId>, };

export type NoteEdited = { note_id: NoteId, card_ids: Array<CardId>, added: Array<CardId>, retired: Array<CardId>, };

export type NoteView = { note_id: NoteId, pack: PackId, pack_name: string, 
/**
 * Whether the note is the learner's own (in a pack made in the app).
 */
personal: boolean, draft: NoteDraft, 
/**
 * For a pack's note the learner edited: the note as the pack has it.
 */
pack_draft: NoteDraft | null, 
/**
 * The draft's fields that differ from the pack's text.
 */
edited: Array<string>, 
/**
 * The cards it asks, in template order.
 */
card_ids: Array<CardId>, };

export type CardPreview = { 
/**
 * `forward`, `reverse`, or `c1`, `c2`… for a cloze.
 */
template: string, 
/**
 * Plain text of a term's card; a flash card's as text.
 */
prompt: string, answer: string, 
/**
 * For a basic or cloze card: sanitized HTML with its images inlined.
 */
prompt_html: string | null, answer_html: string | null, 
/**
 * The explanation shown with a term's answer (sanitized HTML; empty for others).
 */
detail_html: string, };

export type PersonalPack = { id: PackId, name: string, };

export type SyncSecret = { "kind": "s3", access_key_id: string, secret_access_key: string, endpoint: string | null, region: string | null, } | { "kind": "webdav", user: string, password: string, };

/** The lowest desired retention a learner may choose. */
export const MIN_DESIRED_RETENTION = 0.7;

/** The highest desired retention a learner may choose. */
export const MAX_DESIRED_RETENTION = 0.99;

/** The farthest due date a card action sets, in days from today. */
export const MAX_SET_DUE_DAYS = 36500;

/** The longest spread of a backlog, in days. */
export const MAX_SPREAD_DAYS = 60;

/** The longest tag, in characters. */
export const MAX_TAG_CHARS = 60;

/** The most browser rows one call reads. */
export const MAX_BROWSE_ROWS = 1000;

/** Reviews the optimizer needs. */
export const MIN_TRAINING_REVIEWS = 400;

/** The desired retentions the workload is simulated at. */
export const RETENTIONS = [0.7,0.72,0.74,0.76,0.78,0.8,0.82,0.84,0.86,0.88,0.9,0.92,0.94,0.96,0.98,0.99];

/** Answers longer than this are logged as this long, in milliseconds. */
export const MAX_ANSWER_MS = 60000;

/** The smallest zoom of the desktop app (1 is 100 %). */
export const MIN_ZOOM = 0.5;

/** The largest zoom of the desktop app. */
export const MAX_ZOOM = 2;

/** How far Ctrl+= and Ctrl+- move the zoom. */
export const ZOOM_STEP = 0.1;

/** A new collection's settings. */
export const DEFAULT_SETTINGS: Settings = {"desired_retention":0.9,"new_per_day":20,"reviews_per_day":200,"rollover_hour":4,"maximum_interval_days":36500,"learning_steps_minutes":[1,10],"relearning_steps_minutes":[10],"fuzz":true,"learn_ahead_minutes":20,"fsrs_parameters":[],"bury_siblings":true,"leech_threshold":8,"leech_action":"tag","new_card_order":"lessons","review_order":"due","pause_new_until":null};
