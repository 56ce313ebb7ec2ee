//! Sync through an S3-compatible bucket and a WebDAV folder: real servers on loopback (moto and
//! wsgidav, from PyPI), each started by its test and stopped when the test ends. A missing server
//! fails the test with how to install it: CI installs them (`scripts/setup.sh --test`).

#![cfg(feature = "remote")]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use common::at;
use common::sync::card_state;
use reprise::{CardId, Collection, Error, Rating};
use tempfile::TempDir;

const INSTALL: &str = "install the test servers with `scripts/setup.sh --test` (a venv in \
                       target/test-venv), or `python3 -m pip install 'moto[server]' wsgidav \
                       cheroot`";

/// A Python that can import `modules`: $REPRISE_TEST_PYTHON, the venv `scripts/setup.sh --test`
/// makes, or python3 on PATH.
fn python(modules: &str) -> PathBuf {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("REPRISE_TEST_PYTHON") {
        candidates.push(p.into());
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-venv/bin/python3"));
    candidates.push("python3".into());
    for python in candidates {
        let found = Command::new(&python)
            .args(["-c", &format!("import {modules}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return python;
        }
    }
    panic!("no Python here can import {modules}: {INSTALL}");
}

/// A server process on loopback, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `python -m <args>` (`{port}` and `{dir}` filled in) and waits until its port answers.
fn start(modules: &str, args: &[&str], setup: impl FnOnce(&Path, u16)) -> Server {
    let python = python(modules);
    let dir = TempDir::new().unwrap();
    let port = free_port();
    setup(dir.path(), port);
    // Its log goes to a file: a pipe nobody reads would stall a chatty server.
    let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.replace("{port}", &port.to_string())
                .replace("{dir}", dir.path().to_str().unwrap())
        })
        .collect();
    let child = Command::new(&python)
        .arg("-m")
        .args(&args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", python.display()));
    let mut server = Server { child, port, dir };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        let log = || std::fs::read_to_string(server.dir.path().join("server.log")).unwrap();
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("{args:?} exited ({status}) before answering: {}", log());
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{args:?} did not answer on port {port} within a minute: {}",
            log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// One HTTP/1.1 request without a body; the status code and the whole answer.
fn http(port: u16, method: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let code = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    (code, answer)
}

/// An S3-compatible server with an empty bucket `reprise`.
fn moto() -> Server {
    let server = start(
        "moto.server, flask",
        &["moto.server", "-H", "127.0.0.1", "-p", "{port}"],
        |_, _| {},
    );
    // moto holds no bucket until one is made; it does not check signatures.
    let (code, answer) = http(server.port, "PUT", "/reprise");
    assert_eq!(code, 200, "creating the bucket: {answer}");
    server
}

const WEBDAV_USER: &str = "learner";
const WEBDAV_PASSWORD: &str = "webdav-secret-7d1f";

/// A WebDAV server sharing an empty folder, asking for a user name and password (basic
/// authentication, as most hosted WebDAV does).
fn wsgidav() -> Server {
    start(
        "wsgidav, cheroot",
        &[
            "wsgidav.server.server_cli",
            "--config",
            "{dir}/wsgidav.json",
        ],
        |dir, port| {
            let share = dir.join("share");
            std::fs::create_dir(&share).unwrap();
            let config = serde_json::json!({
                "host": "127.0.0.1",
                "port": port,
                "provider_mapping": { "/": share },
                "simple_dc": { "user_mapping": { "*": {
                    WEBDAV_USER: { "password": WEBDAV_PASSWORD }
                } } },
                "http_authenticator": {
                    "accept_basic": true,
                    "accept_digest": false,
                    "default_to_digest": false,
                },
                "verbose": 1,
            });
            std::fs::write(dir.join("wsgidav.json"), config.to_string()).unwrap();
        },
    )
}

fn answer_next(col: &mut Collection, now: DateTime<FixedOffset>) -> CardId {
    let card = col
        .next_card(now)
        .unwrap()
        .expect("a card to study")
        .card_id;
    col.answer(card, Rating::Good, now, 4_000).unwrap();
    card
}

/// Whether `secret` is anywhere in the data folder's files (database, WAL, settings).
fn stored_anywhere(dir: &Path, secret: &str) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            return stored_anywhere(&path, secret);
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
    })
}

/// Two devices through `url`: an answer on one arrives on the other, then back the other way.
fn two_devices_sync_through(url: &str, secret: &str) {
    let now = at("2026-12-05T09:00:00+01:00");
    let later = at("2026-12-05T09:05:00+01:00");
    let (dir_a, dir_b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let mut a = Collection::open(dir_a.path(), now).unwrap();
    a.sync_to(url, Some("a"), now).unwrap();
    let card = answer_next(&mut a, now);
    let report = a.sync(now).unwrap();
    assert!(report.sent >= 1, "{report:?}");

    let mut b = Collection::open(dir_b.path(), later).unwrap();
    let report = b.sync_to(url, Some("b"), later).unwrap();
    assert!(report.received >= 1, "{report:?}");
    assert!(report.notices.is_empty(), "{report:?}");
    let (on_a, on_b) = (card_state(&a, card), card_state(&b, card));
    assert_eq!(on_b.5.len(), 1, "b's review log for the card: {on_b:?}");
    assert_eq!(on_b, on_a);
    let status = b.sync_status(later).unwrap();
    assert_eq!(status.target.as_deref(), Some(url));
    assert_eq!(status.device.unwrap().name, "b");
    assert_eq!(status.devices.len(), 1);
    assert_eq!(status.devices[0].name, "a");
    assert_eq!(status.pending, 0);
    assert!(b.sync_verify().unwrap().differ.is_empty());

    // And back: the target lists both devices' logs; a pack imported on b travels as its file.
    let other = answer_next(&mut b, later);
    let table = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terms_semicolon.csv");
    let imported = b.import(&table, later).unwrap();
    assert!(b.sync(later).unwrap().sent >= 1);
    let report = a.sync(later).unwrap();
    assert!(report.received >= 1);
    assert_eq!(report.packs, 1, "{report:?}");
    assert!(a.packs().unwrap().iter().any(|p| p.id == imported.pack));
    assert_eq!(card_state(&a, other), card_state(&b, other));
    assert!(a.sync_verify().unwrap().differ.is_empty());

    // Only the target's URL is remembered, never a credential.
    drop((a, b));
    for dir in [&dir_a, &dir_b] {
        assert!(
            !stored_anywhere(dir.path(), secret),
            "a credential was stored"
        );
    }
}

#[test]
fn two_devices_sync_through_an_s3_bucket() {
    let server = moto();
    let secret = "s3-secret-9b2e";
    // Only this test reads these in this process; the CLI test below clears them for its child.
    std::env::set_var(
        "AWS_ENDPOINT_URL",
        format!("http://127.0.0.1:{}", server.port),
    );
    std::env::set_var("AWS_ACCESS_KEY_ID", "reprise-test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", secret);
    std::env::set_var("AWS_REGION", "eu-central-1");
    two_devices_sync_through("s3://reprise/sync/main", secret);
    // The keys sit under the prefix, as in a folder.
    let (code, listed) = http(server.port, "GET", "/reprise?list-type=2&prefix=sync/main/");
    assert_eq!(code, 200, "{listed}");
    for key in [
        "sync/main/reprise-sync.json",
        "sync/main/devices/",
        "sync/main/log/",
    ] {
        assert!(listed.contains(key), "{key} in {listed}");
    }
}

#[test]
fn two_devices_sync_through_a_webdav_folder() {
    let server = wsgidav();
    // Nothing else in this process reads these.
    std::env::set_var("REPRISE_WEBDAV_USER", WEBDAV_USER);
    std::env::set_var("REPRISE_WEBDAV_PASSWORD", WEBDAV_PASSWORD);
    let url = format!("webdav+http://127.0.0.1:{}/Reprise/sync", server.port);
    two_devices_sync_through(&url, WEBDAV_PASSWORD);
    let share = server.dir.path().join("share/Reprise/sync");
    assert!(share.join("reprise-sync.json").is_file());
    assert_eq!(std::fs::read_dir(share.join("log")).unwrap().count(), 2);
    assert_eq!(std::fs::read_dir(share.join("devices")).unwrap().count(), 2);
}

#[test]
fn a_bad_target_is_refused_clearly_and_turns_nothing_on() {
    let now = at("2026-12-05T09:00:00+01:00");
    let dir = TempDir::new().unwrap();
    let mut col = Collection::open(dir.path(), now).unwrap();
    let refused = [
        ("s3://", "name the bucket"),
        ("s3:///prefix", "name the bucket"),
        ("s3://bucket name/x", "not an S3 bucket name"),
        ("s3://bucket/../x", "'..'"),
        ("s3://bucket/a%20b", "%-escapes"),
        ("webdav+ftp://x", "webdav+https://HOST/PATH"),
        ("webdav+https://", "name the server"),
        (
            "webdav+https://learner:pw@example.com/x",
            "set them in the environment",
        ),
        ("https://example.com/dav", "webdav+https://example.com/dav"),
        ("webdav+https://example.com/x?y=1", "no query"),
    ];
    for (target, says) in refused {
        let err = col.sync_to(target, Some("a"), now).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field, .. } if field == "target"),
            "{target}: {err:?}"
        );
        let message = err.to_string();
        assert!(message.contains(says), "{target}: {message}");
        // The target is repeated so the learner sees what was refused, but never a password.
        if target.contains('@') {
            assert!(!message.contains("pw"), "{message}");
        } else {
            assert!(message.contains(target), "{target}: {message}");
        }
    }

    // A server that is not there: refused when turning on, and the sync stays off.
    let nobody = format!("webdav+http://127.0.0.1:{}/x", free_port());
    let err = col.sync_to(&nobody, Some("a"), now).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Remote { .. }), "{err:?}");
    assert!(
        message.contains(&nobody) && message.contains("reachable"),
        "{message}"
    );

    let status = col.sync_status(now).unwrap();
    assert_eq!(status.target, None);
    assert_eq!(status.device, None);
    assert!(col
        .sync(now)
        .unwrap_err()
        .to_string()
        .contains("sync is off"));
}

/// The CLI with only the given credentials in its environment; fails, and says why on stderr.
fn cli_fails(dir: &Path, args: &[&str], env: &[(&str, String)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reprise"));
    command
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", "2026-12-05T09:00:00+01:00"])
        .args(args)
        .env_remove("REPRISE_DATA_DIR");
    for name in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "REPRISE_WEBDAV_USER",
        "REPRISE_WEBDAV_PASSWORD",
    ] {
        command.env_remove(name);
    }
    let out = command.envs(env.iter().cloned()).output().unwrap();
    assert!(!out.status.success(), "reprise {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn sync_is_off(dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_reprise"))
        .arg("--data-dir")
        .arg(dir)
        .args(["sync", "status", "--json"])
        .env_remove("REPRISE_DATA_DIR")
        .output()
        .unwrap();
    assert!(out.status.success());
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["target"], serde_json::Value::Null, "{status}");
}

#[test]
fn s3_without_credentials_says_which_variables_to_set() {
    let dir = TempDir::new().unwrap();
    let said = cli_fails(dir.path(), &["sync", "--to", "s3://reprise/sync"], &[]);
    assert!(
        said.contains("AWS_ACCESS_KEY_ID") && said.contains("AWS_SECRET_ACCESS_KEY"),
        "{said}"
    );
    sync_is_off(dir.path());
}

#[test]
fn a_server_that_says_no_gets_a_message_saying_what_to_check() {
    let dir = TempDir::new().unwrap();
    let s3 = moto();
    let said = cli_fails(
        dir.path(),
        &["sync", "--to", "s3://no-such-bucket/sync"],
        &[
            ("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{}", s3.port)),
            ("AWS_ACCESS_KEY_ID", "reprise-test".into()),
            ("AWS_SECRET_ACCESS_KEY", "s3-secret".into()),
        ],
    );
    assert!(
        said.contains("s3://no-such-bucket/sync")
            && said.contains("HTTP 404: NoSuchBucket")
            && said.contains("check that the bucket exists"),
        "{said}"
    );
    sync_is_off(dir.path());

    let dav = wsgidav();
    let url = format!("webdav+http://127.0.0.1:{}/Reprise", dav.port);
    for password in [None, Some("not-the-password")] {
        let mut env = vec![("REPRISE_WEBDAV_USER", WEBDAV_USER.to_owned())];
        env.extend(password.map(|p| ("REPRISE_WEBDAV_PASSWORD", p.to_owned())));
        let said = cli_fails(dir.path(), &["sync", "--to", &url], &env);
        assert!(
            said.contains("HTTP 401") && said.contains("check REPRISE_WEBDAV_USER"),
            "{said}"
        );
    }
    sync_is_off(dir.path());
}

/// A server that answers any request with an object it says is 1 TiB and streams zeros until
/// the client hangs up (or 512 MiB have gone, so the test ends either way).
fn endless_server() -> (u16, std::thread::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let serving = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut byte = [0u8; 1];
        while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            request.push(byte[0]);
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 1099511627776\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return 0;
        }
        let zeros = vec![0u8; 1 << 20];
        let mut sent = 0;
        while sent < 512 << 20 && stream.write_all(&zeros).is_ok() {
            sent += zeros.len();
        }
        sent
    });
    (port, serving)
}

#[test]
fn an_object_over_the_cap_is_refused_without_reading_it_all() {
    use reprise::sync::folder::Backend;
    use reprise::sync::remote::{Remote, MAX_OBJECT};

    let (port, serving) = endless_server();
    let target = format!("webdav+http://127.0.0.1:{port}/x");
    let remote = Remote::webdav(&target, false, &format!("127.0.0.1:{port}"), "x").unwrap();
    let err = remote.get("log/big.rseg").unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("over 256 MiB") && message.contains(&target),
        "{message}"
    );
    drop(remote);
    // The client hung up soon after the cap, long before the server's own limit.
    let sent = serving.join().unwrap();
    assert!(sent < MAX_OBJECT + (64 << 20), "{} MiB sent", sent >> 20);
}
