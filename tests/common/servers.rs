//! Real servers on loopback for the sync tests: moto (S3) and wsgidav (WebDAV) from PyPI, each
//! started by its test and stopped when the test ends. A missing server fails the test with how
//! to install it: CI installs them (`scripts/setup.sh --test`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub const INSTALL: &str = "install the test servers with `scripts/setup.sh --test` (a venv in \
                       target/test-venv), or `python3 -m pip install 'moto[server]' wsgidav \
                       cheroot`";

/// A Python that can import `modules`: $REPRISE_TEST_PYTHON, the venv `scripts/setup.sh --test`
/// makes, or python3 on PATH.
pub fn python(modules: &str) -> PathBuf {
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
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `python -m <args>` (`{port}` and `{dir}` filled in) and waits until its port answers.
pub fn start(modules: &str, args: &[&str], setup: impl FnOnce(&Path, u16)) -> Server {
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
pub fn http(port: u16, method: &str, path: &str) -> (u16, String) {
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
pub fn moto() -> Server {
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

pub const WEBDAV_USER: &str = "learner";
pub const WEBDAV_PASSWORD: &str = "webdav-secret-7d1f";

/// A WebDAV server sharing an empty folder, asking for a user name and password (basic
/// authentication, as most hosted WebDAV does).
pub fn wsgidav() -> Server {
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

/// Whether `secret` is anywhere in the data folder's files (database, WAL, settings).
pub fn stored_anywhere(dir: &Path, secret: &str) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            return stored_anywhere(&path, secret);
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
    })
}

/// Runs the CLI on `dir` with no server key in its environment but `env`, and the OS keyring on
/// the session bus `keyring` (none if `None`: never the user's).
pub fn cli_with_keys(
    dir: &Path,
    args: &[&str],
    env: &[(&str, String)],
    keyring: Option<&str>,
) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reprise"));
    command
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", "2026-12-05T09:00:00+01:00"])
        .args(args)
        .env_remove("REPRISE_DATA_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    if let Some(bus) = keyring {
        command.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    for (name, _) in
        std::env::vars().filter(|(n, _)| n.starts_with("AWS_") || n.starts_with("REPRISE_WEBDAV_"))
    {
        command.env_remove(name);
    }
    command.envs(env.iter().cloned()).output().unwrap()
}
