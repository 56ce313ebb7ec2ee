//! Keys for sync servers kept in the OS keyring: a real Secret Service (GNOME Keyring) on a D-Bus
//! session bus of the test's own, never the user's, and real servers on loopback (moto, wsgidav).
//! CI installs gnome-keyring and the servers (`scripts/setup.sh --test`).

#![cfg(feature = "remote")]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::at;
use common::servers::{
    cli_with_keys, moto, stored_anywhere, wsgidav, WEBDAV_PASSWORD, WEBDAV_USER,
};
use reprise::sync::secrets::{self, SyncSecret};
use reprise::Collection;
use tempfile::TempDir;

/// A session bus and a GNOME Keyring daemon on it, unlocked; both stopped when dropped.
struct Keyring {
    bus: Child,
    daemon: Child,
    address: String,
    _dir: TempDir,
}

impl Drop for Keyring {
    fn drop(&mut self) {
        for child in [&mut self.daemon, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn spawn(command: &mut Command, what: &str) -> Child {
    command.spawn().unwrap_or_else(|e| {
        panic!(
            "cannot start {what} ({e}): install dbus and gnome-keyring (scripts/setup.sh --test)"
        )
    })
}

fn keyring() -> Keyring {
    let dir = TempDir::new().unwrap();
    let socket = dir.path().join("bus");
    let address = format!("unix:path={}", socket.display());
    let bus = spawn(
        Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile"])
            .arg(format!("--address={address}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        "dbus-daemon",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        assert!(Instant::now() < deadline, "the session bus did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (home, runtime) = (dir.path().join("home"), dir.path().join("run"));
    std::fs::create_dir(&home).unwrap();
    std::fs::create_dir(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let mut daemon = spawn(
        Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("share"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        "gnome-keyring-daemon",
    );
    // The login keyring's password, then end of input: it is created unlocked.
    let mut stdin = daemon.stdin.take().unwrap();
    stdin.write_all(b"test-login-password").unwrap();
    drop(stdin);
    Keyring {
        bus,
        daemon,
        address,
        _dir: dir,
    }
}

const S3_TARGET: &str = "s3://reprise/kept";
const S3_SECRET: &str = "keyring-secret-51c3";

/// Keeps `secret` for `target`, waiting for the keyring daemon to come up on the bus.
fn save_when_ready(target: &str, secret: &SyncSecret) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match secrets::save(target, secret) {
            Ok(()) => return,
            Err(e) if Instant::now() > deadline => panic!("the keyring never answered: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// The CLI with the test's keyring and only the given variables.
fn cli(dir: &Path, keyring: &Keyring, args: &[&str], env: &[(&str, String)]) -> (bool, String) {
    let out = cli_with_keys(dir, args, env, Some(&keyring.address));
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), said)
}

#[test]
fn a_key_kept_in_the_keyring_reaches_the_server_and_turning_sync_off_forgets_it() {
    let keyring = keyring();
    // Only this test runs in this process: the keyring it uses is the test's own, and the
    // environment holds no key.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &keyring.address);
    for (name, _) in
        std::env::vars().filter(|(n, _)| n.starts_with("AWS_") || n.starts_with("REPRISE_WEBDAV"))
    {
        std::env::remove_var(name);
    }
    let s3 = moto();
    let key = SyncSecret::S3 {
        access_key_id: "reprise-test".into(),
        secret_access_key: S3_SECRET.into(),
        endpoint: Some(format!("http://127.0.0.1:{}", s3.port)),
        region: Some("eu-central-1".into()),
    };
    let now = at("2026-12-05T09:00:00+01:00");
    let (dir_a, dir_b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let mut a = Collection::open(dir_a.path(), now).unwrap();

    // No key anywhere: refused, saying how to give one; sync stays off.
    let refused = a
        .sync_to(S3_TARGET, Some("a"), now)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("no key for the bucket"), "{refused}");
    assert_eq!(a.sync_status(now).unwrap().target, None);

    // Kept with the target: it reaches the bucket, from this device and from another one of the
    // same user, and is stored in the keyring, not in the collection.
    save_when_ready("s3://reprise/probe", &key);
    secrets::forget("s3://reprise/probe").unwrap();
    a.sync_connect_with(S3_TARGET, Some("a"), &key, now)
        .unwrap();
    assert_eq!(secrets::load(S3_TARGET), Some(key.clone()));
    common::sync::answer_next(&mut a, reprise::Rating::Good, now);
    assert!(a.sync(now).unwrap().sent >= 1);
    let mut b = Collection::open(dir_b.path(), now).unwrap();
    let report = b.sync_to(S3_TARGET, Some("b"), now).unwrap();
    assert!(report.received >= 1, "{report:?}");

    // A key that cannot reach the server is refused and the kept one stays.
    let unreachable = SyncSecret::S3 {
        access_key_id: "reprise-test".into(),
        secret_access_key: S3_SECRET.into(),
        endpoint: Some(format!("http://127.0.0.1:{}", common::servers::free_port())),
        region: None,
    };
    let dir_c = TempDir::new().unwrap();
    let mut c = Collection::open(dir_c.path(), now).unwrap();
    assert!(c
        .sync_connect_with(S3_TARGET, Some("c"), &unreachable, now)
        .is_err());
    assert_eq!(secrets::load(S3_TARGET), Some(key.clone()));
    assert_eq!(c.sync_status(now).unwrap().target, None);

    // WebDAV: the account kept; a wrong password is refused and changes nothing.
    let dav = wsgidav();
    let url = format!("webdav+http://127.0.0.1:{}/Reprise/kept", dav.port);
    let wrong = SyncSecret::Webdav {
        user: WEBDAV_USER.into(),
        password: "not-the-password".into(),
    };
    let refused = c
        .sync_connect_with(&url, Some("c"), &wrong, now)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("HTTP 401"), "{refused}");
    assert_eq!(secrets::load(&url), None);
    let account = SyncSecret::Webdav {
        user: WEBDAV_USER.into(),
        password: WEBDAV_PASSWORD.into(),
    };
    c.sync_connect_with(&url, Some("c"), &account, now).unwrap();
    assert!(c.sync(now).is_ok());
    // Moving to another target forgets the key kept for the one before.
    c.sync_connect_with(S3_TARGET, Some("c"), &key, now)
        .unwrap();
    assert_eq!(secrets::load(&url), None);

    // Turning sync off forgets the key.
    a.sync_off().unwrap();
    assert_eq!(secrets::load(S3_TARGET), None);
    drop((a, b, c));
    for dir in [&dir_a, &dir_b, &dir_c] {
        assert!(!stored_anywhere(dir.path(), S3_SECRET), "a key was stored");
        assert!(
            !stored_anywhere(dir.path(), WEBDAV_PASSWORD),
            "a password was stored"
        );
    }

    // The CLI keeps the key the environment holds, and later syncs need no variables.
    let dir_d = TempDir::new().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", "reprise-test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", S3_SECRET.to_owned()),
        ("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{}", s3.port)),
    ];
    let target = "s3://reprise/cli";
    let (ok, said) = cli(
        dir_d.path(),
        &keyring,
        &["sync", "--to", target, "--remember-key"],
        &env,
    );
    assert!(ok, "{said}");
    let (ok, said) = cli(dir_d.path(), &keyring, &["sync"], &[]);
    assert!(ok, "{said}");
    assert!(said.contains("Synced through s3://reprise/cli"), "{said}");
    let (ok, said) = cli(dir_d.path(), &keyring, &["sync", "off"], &[]);
    assert!(ok, "{said}");
    let (ok, said) = cli(dir_d.path(), &keyring, &["sync", "--to", target], &[]);
    assert!(!ok && said.contains("no key for the bucket"), "{said}");
}
