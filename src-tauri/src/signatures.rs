//! Each command's signature from the one list ([`command_list`](crate::command_list)): checked
//! against its `commands::` function at compile time, and told to the UI as TypeScript types.

use std::collections::BTreeMap;

use reprise::bindings::{ts_name, TS};
use reprise::browse::{BrowseFacets, BrowseQuery, BrowseRow};
use reprise::device::{About, DevicePrefs};
use reprise::error::AppError;
use reprise::import::{ImportProgress, ImportReport, TablePreview};
use reprise::notes::{CardPreview, NoteAdded, NoteDraft, NoteEdited, NoteView, PersonalPack};
use reprise::optimize::{OptimizeProgress, OptimizeReport};
use reprise::simulate::Workload;
use reprise::stats::Stats;
use reprise::store::backup::BackupInfo;
use reprise::store::Upgrade;
use reprise::study::backlog::{Backlog, Spread};
use reprise::study::{
    ActionReport, CardAction, CardDetail, CurriculumArea, LessonPage, LibraryArea, PackInfo,
    QuizResult, SearchHit, TermPage,
};
use reprise::sync::secrets::SyncSecret;
use reprise::sync::{SyncActivity, SyncStatus};
use reprise::{
    AnswerOutcome, CardId, NoteId, PackId, Rating, Settings, Status, StudyCard, UndoOutcome,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::{commands, AppState};

/// A command as the UI calls it: its arguments (Rust names, with their TypeScript types) and
/// the TypeScript type of its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub reply: String,
}

/// A channel of `T`, as `@tauri-apps/api/core` types it.
fn channel<T: TS>() -> String {
    format!("Channel<{}>", ts_name::<T>())
}

macro_rules! signatures {
    (
        state { $($s:ident ($($s_arg:ident : $s_ty:ty),* $(; $s_ch:ident : $s_cty:ty)?) -> $s_reply:ty),* $(,)? }
        app { $($a:ident ($($a_arg:ident : $a_ty:ty),* $(; $a_ch:ident : $a_cty:ty)?) -> $a_reply:ty),* $(,)? }
        free { $($f:ident ($($f_arg:ident : $f_ty:ty),* $(; $f_ch:ident : $f_cty:ty)?) -> $f_reply:ty),* $(,)? }
    ) => {
        /// Calls each command with the declared types: a function whose arguments or reply
        /// differ from the list fails to compile here.
        #[allow(dead_code, clippy::too_many_arguments)]
        mod check {
            use super::*;
            $(
                fn $s(
                    state: State<'_, AppState>,
                    $($s_arg: $s_ty,)*
                    $($s_ch: Channel<$s_cty>)?
                ) -> Result<$s_reply, AppError> {
                    commands::$s(state, $($s_arg,)* $($s_ch)?)
                }
            )*
            $(
                async fn $a<R: Runtime>(
                    app: AppHandle<R>,
                    $($a_arg: $a_ty,)*
                    $($a_ch: Channel<$a_cty>)?
                ) -> Result<$a_reply, AppError> {
                    commands::$a(app, $($a_arg,)* $($a_ch)?).await
                }
            )*
            $(
                async fn $f(
                    $($f_arg: $f_ty,)*
                    $($f_ch: Channel<$f_cty>)?
                ) -> Result<$f_reply, AppError> {
                    commands::$f($($f_arg,)* $($f_ch)?).await
                }
            )*
        }

        /// Every command's signature, in the list's order.
        pub fn signatures() -> Vec<Signature> {
            vec![
                $(Signature {
                    name: stringify!($s),
                    args: vec![
                        $((stringify!($s_arg), ts_name::<$s_ty>()),)*
                        $((stringify!($s_ch), channel::<$s_cty>()),)?
                    ],
                    reply: ts_name::<$s_reply>(),
                },)*
                $(Signature {
                    name: stringify!($a),
                    args: vec![
                        $((stringify!($a_arg), ts_name::<$a_ty>()),)*
                        $((stringify!($a_ch), channel::<$a_cty>()),)?
                    ],
                    reply: ts_name::<$a_reply>(),
                },)*
                $(Signature {
                    name: stringify!($f),
                    args: vec![
                        $((stringify!($f_arg), ts_name::<$f_ty>()),)*
                        $((stringify!($f_ch), channel::<$f_cty>()),)?
                    ],
                    reply: ts_name::<$f_reply>(),
                },)*
            ]
        }
    };
}

with_commands!(signatures);
