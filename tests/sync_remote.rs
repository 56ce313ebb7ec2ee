//! Sync through an S3-compatible bucket and a WebDAV folder: real servers on loopback (moto and
//! wsgidav, from PyPI), each started by its test and stopped when the test ends. A missing server
//! fails the test with how to install it: CI installs them (`scripts/setup.sh --test`).

#![cfg(feature = "remote")]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, FixedOffset};
use common::at;
use common::servers::{
    cli_with_keys, free_port, http, moto, stored_anywhere, wsgidav, WEBDAV_PASSWORD, WEBDAV_USER,
};
use common::sync::card_state;
use reprise::{CardId, Collection, Error, Rating};
use tempfile::TempDir;

fn answer_next(col: &mut Collection, now: DateTime<FixedOffset>) -> CardId {
    let card = col
        .next_card(now)
        .unwrap()
        .expect("a card to study")
        .card_id;
    col.answer(card, Rating::Good, now, 4_000).unwrap();
    card
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

/// The CLI with only the given credentials in its environment (and no OS keyring); fails, and
/// says why on stderr.
fn cli_fails(dir: &Path, args: &[&str], env: &[(&str, String)]) -> String {
    let out = cli_with_keys(dir, args, env, None);
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
            said.contains("HTTP 401") && said.contains("check the account"),
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
