//! Sync targets on a server: an S3-compatible bucket or a WebDAV folder, through Apache OpenDAL.
//! They hold the same keys as a sync folder ([`super::folder`]). Credentials are read from the
//! environment each time a target is opened and never stored: only the target's URL is
//! remembered (docs/SYNC.md, "Object stores").

use std::sync::OnceLock;
use std::time::Duration;

use opendal::blocking;
use opendal::layers::TimeoutLayer;
use opendal::services::{Webdav, S3};
use opendal::ErrorKind;
use tokio::runtime::Runtime;

use super::folder::Backend;
use super::secrets::{self, SyncSecret};
use crate::error::{Error, Result};

/// The largest object [`Remote::get`] takes in. Segments are a few MB at most; a server that sends
/// more is refused before it can fill memory.
pub const MAX_OBJECT: usize = 256 << 20;

/// Longest error text kept from OpenDAL: its messages carry the server's whole answer.
const MAX_DETAIL: usize = 600;

/// What to tell the learner when the server says no.
struct Hints {
    credentials: &'static str,
    missing: &'static str,
    config: &'static str,
}

const S3_HINTS: Hints = Hints {
    credentials: "check the key (the one kept with the target, or AWS_ACCESS_KEY_ID and \
                  AWS_SECRET_ACCESS_KEY, and AWS_SESSION_TOKEN if it is temporary): it must \
                  allow listing, reading and writing the bucket",
    missing: "check that the bucket exists, and that AWS_ENDPOINT_URL and AWS_REGION point at \
              it",
    config: "check the target (s3://BUCKET/PREFIX), AWS_ENDPOINT_URL and AWS_REGION",
};

const WEBDAV_HINTS: Hints = Hints {
    credentials: "check the account (the one kept with the target, or REPRISE_WEBDAV_USER and \
                  REPRISE_WEBDAV_PASSWORD): it must be allowed to list, read and write the \
                  folder",
    missing: "check the target's host and path (webdav+https://HOST/PATH)",
    config: "check the target's host and path (webdav+https://HOST/PATH)",
};

/// A sync target on a server. Calls block on a runtime of their own: make them from a plain
/// thread (in the app, `spawn_blocking`, where its slow commands run), never from an async task.
pub struct Remote {
    op: blocking::Operator,
    /// The target as the learner named it, for messages.
    target: String,
    hints: &'static Hints,
}

/// The variable's value, with set-but-empty taken as unset.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn invalid(target: &str, why: impl std::fmt::Display) -> Error {
    Error::invalid("target", format!("'{target}': {why}"))
}

/// One runtime for the process, with a single worker: sync makes one request at a time, and
/// OpenDAL's blocking operator hands each to a runtime's workers.
fn runtime() -> Result<&'static Runtime> {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("reprise-sync")
        .enable_all()
        .build()
        .map_err(|e| Error::io("the sync runtime", e))?;
    // Two threads may build one at once; the one not kept is dropped unused.
    Ok(RUNTIME.get_or_init(|| rt))
}

impl Remote {
    /// `s3://BUCKET/PREFIX`. Endpoint, region and key come from the environment (the usual AWS
    /// variables); nothing else is consulted — no ~/.aws files, no instance metadata service —
    /// so what a sync uses is exactly what the docs say.
    pub fn s3(target: &str, bucket: &str, prefix: &str) -> Result<Remote> {
        // The environment first, else what the keyring keeps for this target (asked only then).
        let (key, secret, kept_endpoint, kept_region) =
            match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
                (Some(key), Some(secret)) => (key, secret, None, None),
                _ => {
                    match secrets::load(target) {
                        Some(SyncSecret::S3 {
                            access_key_id,
                            secret_access_key,
                            endpoint,
                            region,
                        }) => (access_key_id, secret_access_key, endpoint, region),
                        _ => return Err(invalid(
                            target,
                            "no key for the bucket: keep one with the target (Settings → Sync, \
                             or `reprise sync --to TARGET --remember-key`), or set \
                             AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                        )),
                    }
                }
            };
        let region = env("AWS_REGION")
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .or(kept_region)
            .unwrap_or_else(|| "us-east-1".into());
        let mut builder = S3::default()
            .bucket(bucket)
            .root(&format!("/{prefix}"))
            .region(&region)
            .access_key_id(&key)
            .secret_access_key(&secret)
            .disable_config_load()
            .disable_ec2_metadata();
        if let Some(token) = env("AWS_SESSION_TOKEN") {
            builder = builder.session_token(&token);
        }
        match env("AWS_ENDPOINT_URL").or(kept_endpoint) {
            Some(endpoint) => {
                if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
                    return Err(invalid(
                        target,
                        format!(
                            "AWS_ENDPOINT_URL '{endpoint}' must start with https:// or http://"
                        ),
                    ));
                }
                // S3-compatible servers (MinIO, Garage, moto…) answer by path, not by a host
                // name per bucket, which needs DNS set up for them.
                builder = builder.endpoint(&endpoint);
            }
            None => builder = builder.enable_virtual_host_style(),
        }
        Remote::open(target, opendal::Operator::new(builder), &S3_HINTS)
    }

    /// `webdav+https://HOST/PATH` or `webdav+http://…`; `authority` is `HOST[:PORT]`.
    pub fn webdav(target: &str, https: bool, authority: &str, path: &str) -> Result<Remote> {
        let scheme = if https { "https" } else { "http" };
        let mut builder = Webdav::default()
            .endpoint(&format!("{scheme}://{authority}"))
            .root(&format!("/{path}"));
        let account = match (env("REPRISE_WEBDAV_USER"), env("REPRISE_WEBDAV_PASSWORD")) {
            (None, None) => match secrets::load(target) {
                Some(SyncSecret::Webdav { user, password }) => (Some(user), Some(password)),
                _ => (None, None),
            },
            from_env => from_env,
        };
        match account {
            (Some(user), password) => {
                // Basic authentication sends the password as it is: only over TLS, or to this
                // machine.
                if !https && password.is_some() && !loopback(authority) {
                    return Err(invalid(
                        target,
                        "the password would cross the network unencrypted; use \
                         webdav+https://",
                    ));
                }
                builder = builder.username(&user);
                if let Some(password) = password {
                    builder = builder.password(&password);
                }
            }
            (None, Some(_)) => {
                return Err(invalid(
                    target,
                    "REPRISE_WEBDAV_PASSWORD is set but REPRISE_WEBDAV_USER is not",
                ))
            }
            (None, None) => {}
        }
        Remote::open(target, opendal::Operator::new(builder), &WEBDAV_HINTS)
    }

    fn open(
        target: &str,
        op: opendal::Result<opendal::Operator>,
        hints: &'static Hints,
    ) -> Result<Remote> {
        // With OpenDAL's default features off nothing registers its HTTP client before `main`;
        // this does, once.
        opendal::install_default();
        let op = op
            .map_err(|e| invalid(target, format!("{} — {}", detail(&e), hints.config)))?
            // Without these a server that stops answering would hang the sync for good. A
            // request's body is one IO step: two minutes lets a segment of a few MB go up a
            // slow line.
            .layer(
                TimeoutLayer::new()
                    .with_timeout(Duration::from_secs(60))
                    .with_io_timeout(Duration::from_secs(120)),
            );
        let _entered = runtime()?.enter();
        let op = blocking::Operator::new(op)
            .map_err(|e| invalid(target, format!("cannot start ({})", detail(&e))))?;
        Ok(Remote {
            op,
            target: target.to_owned(),
            hints,
        })
    }

    fn failed(&self, action: String, err: opendal::Error) -> Error {
        let text = err.to_string();
        let status = http_status(&text);
        let hint = match (status, err.kind()) {
            (Some(401 | 403), _) | (_, ErrorKind::PermissionDenied) => self.hints.credentials,
            (Some(404), _) | (_, ErrorKind::NotFound) => self.hints.missing,
            (Some(429 | 503), _) | (_, ErrorKind::RateLimited) => {
                "the server is busy or asks to slow down; sync again in a while"
            }
            (_, ErrorKind::ConfigInvalid) => self.hints.config,
            (Some(_), _) => "the server refused the request; check the target and the server",
            (None, _) => "check that the server is reachable, then sync again",
        };
        let detail = match status {
            // OpenDAL's text holds the whole answer (headers, HTML); the status and S3's error
            // code and message say what matters.
            Some(code) => {
                let s3 = text.find("S3Error {").map(|at| &text[at..]);
                let field = |name| s3.and_then(|s3| between(s3, name, "\""));
                match (field("code: \""), field("message: \"")) {
                    (Some(s3), Some(message)) => {
                        format!("the server answered HTTP {code}: {s3}, {message}")
                    }
                    (Some(s3), None) => format!("the server answered HTTP {code}: {s3}"),
                    _ => format!("the server answered HTTP {code}"),
                }
            }
            None => detail(&err),
        };
        Error::Remote {
            target: self.target.clone(),
            action,
            detail,
            hint: hint.into(),
        }
    }
}

/// The HTTP status of the answer an OpenDAL error carries. OpenDAL has no accessor for it, only
/// its text (`response: Parts { status: 401, … }`); when that changes, the generic hint is
/// given instead.
fn http_status(text: &str) -> Option<u16> {
    let after = &text[text.find("response: Parts { status: ")? + 26..];
    after.get(..3)?.parse().ok()
}

fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len]).filter(|s| !s.is_empty() && s.len() <= 200)
}

/// OpenDAL's message, with the innermost cause (e.g. "Connection refused") where it does not
/// say it, cut to a readable length.
fn detail(err: &opendal::Error) -> String {
    let mut text = err.to_string();
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(err);
    let mut last = None;
    while let Some(c) = cause {
        last = Some(c);
        cause = c.source();
    }
    if let Some(last) = last.map(ToString::to_string) {
        if !text.contains(&last) {
            text = format!("{text}: {last}");
        }
    }
    if text.len() > MAX_DETAIL {
        let mut end = MAX_DETAIL;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

fn loopback(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Keys are ours or listed from the target; none may climb out of it.
fn checked(key: &str) -> Result<&str> {
    let ok = key
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
    if ok {
        Ok(key)
    } else {
        Err(Error::invalid(
            "sync key",
            format!("'{key}' is not a file name"),
        ))
    }
}

impl Backend for Remote {
    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let dir = if prefix.is_empty() {
            "/".to_owned()
        } else {
            format!("{}/", checked(prefix)?)
        };
        let entries = match self.op.list(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.failed(format!("listing {dir}"), e)),
        };
        let mut keys = Vec::new();
        for entry in entries {
            // Folders come back as `name/`; WebDAV lists the folder itself too.
            let path = entry.path().trim_matches('/');
            let name = if prefix.is_empty() {
                Some(path)
            } else {
                path.strip_prefix(prefix).and_then(|p| p.strip_prefix('/'))
            };
            let Some(name) = name else {
                continue;
            };
            // Hidden names are other tools' (or half-written uploads some servers show).
            if name.is_empty() || name.contains('/') || name.starts_with('.') {
                continue;
            }
            keys.push(if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}/{name}")
            });
        }
        Ok(keys)
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let key = checked(key)?;
        let reading = || format!("reading {key}");
        // Streamed in one request and counted as it comes, so the cap holds whatever length
        // the server claims.
        let chunks = match self.op.reader(key).and_then(|r| r.into_iterator(..)) {
            Ok(chunks) => chunks,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.failed(reading(), e)),
        };
        let mut bytes = Vec::new();
        for chunk in chunks {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(self.failed(reading(), e)),
            };
            if bytes.len() + chunk.len() > MAX_OBJECT {
                return Err(Error::Remote {
                    target: self.target.clone(),
                    action: reading(),
                    detail: format!(
                        "it is over {} MiB, far larger than any file Reprise writes",
                        MAX_OBJECT >> 20
                    ),
                    hint: "check that the target is a Reprise sync folder, and remove the file \
                           if something else put it there"
                        .into(),
                });
            }
            for piece in chunk {
                bytes.extend_from_slice(&piece);
            }
        }
        Ok(Some(bytes))
    }

    /// Stat, then write if missing. Not atomic, and need not be: segment names are unique per
    /// device and only that device writes its own log folder. The one key two devices could
    /// race on, `reprise-sync.json`, is written once by the first device to use the target,
    /// with the same check-then-write a folder does.
    fn put_if_absent(&self, key: &str, bytes: &[u8]) -> Result<bool> {
        let key = checked(key)?;
        match self.op.stat(key) {
            Ok(_) => return Ok(false),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(self.failed(format!("looking for {key}"), e)),
        }
        self.put_replace(key, bytes).map(|()| true)
    }

    fn put_replace(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let key = checked(key)?;
        self.op
            .write(key, bytes.to_vec())
            .map(|_| ())
            .map_err(|e| self.failed(format!("writing {key}"), e))
    }

    /// Nothing to clear: an object store never shows a write that did not finish, and a WebDAV
    /// upload cut short is a segment decoding already reads as still arriving.
    fn sweep(&self, _prefix: &str) -> Result<()> {
        Ok(())
    }
}
