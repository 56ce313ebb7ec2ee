//! Keys for sync targets on servers, kept in the OS keyring (the Secret Service on Linux: GNOME
//! Keyring, KWallet; the Keychain on macOS; the Credential Manager on Windows) under the target,
//! never in the collection. The environment (the usual AWS variables, `REPRISE_WEBDAV_*`) wins
//! over the keyring, so a script can always say exactly what a sync uses.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The keyring's name for the entries Reprise keeps.
const SERVICE: &str = "Reprise sync";

/// What a sync target on a server needs to be reached: kept in the keyring, one per target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncSecret {
    /// An S3 key; the endpoint (for a server other than AWS) and region are kept beside it.
    S3 {
        access_key_id: String,
        secret_access_key: String,
        endpoint: Option<String>,
        region: Option<String>,
    },
    /// A WebDAV account (basic authentication).
    Webdav { user: String, password: String },
}

impl SyncSecret {
    /// Refuses a key that cannot work with `target`: an empty field, the wrong kind, an
    /// endpoint that is not an http(s) URL.
    pub fn check(&self, target: &str) -> Result<()> {
        let invalid = |why: &str| Error::invalid("secret", why.to_owned());
        let blank = |v: &str| v.trim().is_empty() || v.chars().any(char::is_control);
        match self {
            SyncSecret::S3 {
                access_key_id,
                secret_access_key,
                endpoint,
                region,
            } => {
                if !target.starts_with("s3://") {
                    return Err(invalid("an S3 key is for an s3:// target"));
                }
                if blank(access_key_id) || blank(secret_access_key) {
                    return Err(invalid(
                        "give both the access key ID and the secret access key",
                    ));
                }
                if let Some(e) = endpoint {
                    if !(e.starts_with("https://") || e.starts_with("http://")) || blank(e) {
                        return Err(invalid(
                            "the endpoint is the server's URL, starting with https://",
                        ));
                    }
                }
                if region.as_deref().is_some_and(blank) {
                    return Err(invalid("leave the region empty, or name one (us-east-1)"));
                }
            }
            SyncSecret::Webdav { user, password } => {
                if !target.starts_with("webdav+") {
                    return Err(invalid("a WebDAV account is for a webdav+https:// target"));
                }
                if blank(user) || password.is_empty() {
                    return Err(invalid("give both the user name and the password"));
                }
            }
        }
        Ok(())
    }
}

impl SyncSecret {
    /// The key for `target` that the environment holds (the AWS variables, or
    /// `REPRISE_WEBDAV_USER` and `REPRISE_WEBDAV_PASSWORD`), to keep in the keyring.
    pub fn from_env(target: &str) -> Result<SyncSecret> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let secret = if target.starts_with("s3://") {
            SyncSecret::S3 {
                access_key_id: env("AWS_ACCESS_KEY_ID").unwrap_or_default(),
                secret_access_key: env("AWS_SECRET_ACCESS_KEY").unwrap_or_default(),
                endpoint: env("AWS_ENDPOINT_URL"),
                region: env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")),
            }
        } else if target.starts_with("webdav+") {
            SyncSecret::Webdav {
                user: env("REPRISE_WEBDAV_USER").unwrap_or_default(),
                password: env("REPRISE_WEBDAV_PASSWORD").unwrap_or_default(),
            }
        } else {
            return Err(Error::invalid(
                "secret",
                "a folder needs no key; only s3:// and webdav+https:// targets do",
            ));
        };
        secret.check(target).map_err(|_| {
            Error::invalid(
                "secret",
                "set the key in the environment first: AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY (and AWS_ENDPOINT_URL, AWS_REGION if needed), or \
                 REPRISE_WEBDAV_USER and REPRISE_WEBDAV_PASSWORD",
            )
        })?;
        Ok(secret)
    }
}

fn entry(target: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, target).map_err(unavailable)
}

fn unavailable(e: keyring::Error) -> Error {
    Error::invalid(
        "secret",
        format!(
            "the OS keyring could not keep it ({e}); is a keyring (GNOME Keyring, KWallet) \
             running? Otherwise set the key in the environment (docs/SYNC.md)"
        ),
    )
}

/// Keeps `secret` for `target` in the keyring, in place of any before.
pub fn save(target: &str, secret: &SyncSecret) -> Result<()> {
    secret.check(target)?;
    let json = serde_json::to_string(secret).expect("a secret serializes");
    entry(target)?.set_password(&json).map_err(unavailable)
}

/// The secret kept for `target`, if the keyring has one (and can be reached).
pub fn load(target: &str) -> Option<SyncSecret> {
    let json = entry(target).ok()?.get_password().ok()?;
    serde_json::from_str(&json).ok()
}

/// Forgets the secret kept for `target`, if any.
pub fn forget(target: &str) -> Result<()> {
    match entry(target)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3(key: &str, endpoint: Option<&str>) -> SyncSecret {
        SyncSecret::S3 {
            access_key_id: key.into(),
            secret_access_key: "s".into(),
            endpoint: endpoint.map(Into::into),
            region: None,
        }
    }

    #[test]
    fn a_secret_is_checked_against_its_target() {
        assert!(s3("k", None).check("s3://b/p").is_ok());
        assert!(s3("k", Some("http://127.0.0.1:9000"))
            .check("s3://b")
            .is_ok());
        for (secret, target) in [
            (s3("", None), "s3://b"),
            (s3("k\n", None), "s3://b"),
            (s3("k", Some("ftp://x")), "s3://b"),
            (s3("k", None), "webdav+https://h/p"),
            (
                SyncSecret::Webdav {
                    user: "u".into(),
                    password: String::new(),
                },
                "webdav+https://h/p",
            ),
            (
                SyncSecret::Webdav {
                    user: "u".into(),
                    password: "p".into(),
                },
                "s3://b",
            ),
        ] {
            let err = secret.check(target).unwrap_err();
            assert!(
                matches!(&err, Error::Invalid { field, .. } if field == "secret"),
                "{secret:?} for {target}: {err}"
            );
        }
    }
}
