// Replies of the real core, recorded by src-tauri/tests/recorded_replies.rs on a fresh collection
// of the built-in pack at the scripted backend's clock (NOW in scripted.ts). Regenerate them with
// `UPDATE_BINDINGS=1 cargo test -p reprise-desktop --test recorded_replies`; that test fails
// while they differ from what the core answers. Each function gives a fresh copy to change.
import type {
  AppError,
  BrowseFacets,
  BrowseRow,
  CardDetail,
  LessonPage,
  LibraryArea,
  PackInfo,
  CurriculumArea,
  QuizResult,
  Settings,
  Stats,
  Status,
  StudyCard,
  SyncActivity,
  SyncStatus,
  TermPage,
} from '../lib/bindings';
import facets from './recorded/browse_facets.json';
import browseRows from './recorded/browse_rows.json';
import finishLesson from './recorded/finish_lesson.json';
import cardActionNotFound from './recorded/card_action_not_found.json';
import cardActionRefused from './recorded/card_action_refused.json';
import cardDetail from './recorded/get_card_detail.json';
import lesson from './recorded/get_lesson.json';
import library from './recorded/get_library.json';
import settings from './recorded/get_settings.json';
import stats from './recorded/get_stats.json';
import status from './recorded/get_status.json';
import term from './recorded/get_term.json';
import packs from './recorded/list_packs.json';
import curriculum from './recorded/get_curriculum.json';
import optimizeRefused from './recorded/optimize_refused.json';
import settingsRefused from './recorded/update_settings_refused.json';
import quizCard from './recorded/next_card_quiz.json';
import termCard from './recorded/next_card_term.json';
import syncIdle from './recorded/get_sync_activity.json';
import syncOff from './recorded/get_sync_status_off.json';
import syncOn from './recorded/get_sync_status_on.json';
import syncWaiting from './recorded/get_sync_status_waiting.json';
import syncTurnedOn from './recorded/set_sync_target.json';
import syncTargetRefused from './recorded/set_sync_target_refused.json';
import syncSecretRefused from './recorded/set_sync_target_secret_refused.json';
import syncJoined from './recorded/sync_activity_joined.json';

const copy = <T>(reply: T): T => structuredClone(reply);

export const recorded = {
  /** get_status of the fresh collection. */
  status: (): Status => copy(status as Status),
  /** get_settings of the fresh collection: the core's defaults. */
  settings: (): Settings => copy(settings as Settings),
  /** list_packs of the fresh collection: the built-in pack. */
  packs: (): PackInfo[] => copy(packs as PackInfo[]),
  /** get_curriculum of the fresh collection: every built-in area, all switched on. */
  curriculum: (): CurriculumArea[] => copy(curriculum as CurriculumArea[]),
  /** get_stats of the fresh collection: nothing studied yet. */
  stats: (): Stats => copy(stats as Stats),
  /** browse_facets of the fresh collection. */
  // JSON has no tuples: its [id, name] pairs are typed as string[][].
  facets: (): BrowseFacets => copy(facets as unknown as BrowseFacets),
  /** browse_rows of the term card answered Good (learning), then of a card still new. */
  browseRows: (): BrowseRow[] => copy(browseRows as BrowseRow[]),
  /** get_library of the fresh collection. */
  library: (): LibraryArea[] => copy(library as LibraryArea[]),
  /** get_lesson of the library's first lesson. */
  lesson: (): LessonPage => copy(lesson as LessonPage),
  /** finish_lesson of that lesson, every answer right. */
  finishLesson: (): QuizResult => copy(finishLesson as QuizResult),
  /** get_term of the library's first term. */
  term: (): TermPage => copy(term as TermPage),
  /** next_card of the fresh collection: a term card. */
  termCard: (): StudyCard => copy(termCard as StudyCard),
  /** next_card after the first lesson is finished: its first quiz card. */
  quizCard: (): StudyCard => copy(quizCard as StudyCard),
  /** get_card_detail of the term card, answered Good once (its review's random id normalized). */
  cardDetail: (): CardDetail => copy(cardDetail as CardDetail),
  /** update_settings' refusal of `text` for setting `key` (only the patches recorded). */
  settingsRefusal: (key: string, text: string): AppError => {
    const found = settingsRefused.find((r) => Object.entries(r.patch).some(([k, v]) => k === key && v === text));
    if (!found) throw new Error(`no refusal of ${key} '${text}' recorded: add it to recorded_replies.rs`);
    return copy(found.error as AppError);
  },
  /** card_action's refusal of a due date 7 days away for the (new) term card. */
  cardActionRefusal: (): AppError => copy(cardActionRefused as AppError),
  /** card_action's refusal of a card that is not there (id 42: its pack removed, say). */
  cardActionNotFound: (): AppError => copy(cardActionNotFound as AppError),
  /** optimize's refusal on the fresh collection: no history to fit. */
  optimizeRefusal: (): AppError => copy(optimizeRefused as AppError),
  // Sync (record_sync in recorded_replies.rs): a laptop turns sync on through a folder (its path
  // and the devices' ids replaced by stand-ins), answers a card and syncs; a desktop joins.
  /** get_sync_status of the fresh collection: sync off. */
  syncOff: (): SyncStatus => copy(syncOff as SyncStatus),
  /** get_sync_activity of the fresh app: no sync yet. */
  syncIdle: (): SyncActivity => copy(syncIdle as SyncActivity),
  /** set_sync_target's reply: the laptop, sync on through /home/learner/Sync/Reprise, before
   *  its first sync. */
  syncTurnedOn: (): SyncStatus => copy(syncTurnedOn as SyncStatus),
  /** get_sync_status of the laptop after one answer: its changes waiting to be sent. */
  syncWaiting: (): SyncStatus => copy(syncWaiting as SyncStatus),
  /** get_sync_status of the desktop after joining: synced, the laptop among its devices. */
  syncOn: (): SyncStatus => copy(syncOn as SyncStatus),
  /** The sync-activity event at the end of the desktop's first sync: the laptop's events
   *  received, a misplaced segment skipped (its notice), one still arriving. */
  syncJoined: (): SyncActivity => copy(syncJoined as SyncActivity),
  /** set_sync_target's refusal of `target` (only the targets recorded). */
  /** The core refusing a blank secret access key for an S3 target. */
  syncSecretRefusal: (): AppError => copy(syncSecretRefused as AppError),
  syncTargetRefusal: (target: string): AppError => {
    const found = syncTargetRefused.find((r) => r.target === target);
    if (!found) throw new Error(`no refusal of sync target '${target}' recorded: add it to recorded_replies.rs`);
    return copy(found.error as AppError);
  },
};
