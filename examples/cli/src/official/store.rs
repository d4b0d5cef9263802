//! The token file: `tokens.json` in kickwire's config folder (`$KICKWIRE_CONFIG_DIR`, else
//! `$XDG_CONFIG_HOME/kickwire`, else `~/.config/kickwire`), created with mode 0600 in a folder
//! made with mode 0700. It holds the client secret as well as the tokens: refreshing needs it.

use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Overrides the config folder (tests, several accounts).
pub const CONFIG_DIR_ENV: &str = "KICKWIRE_CONFIG_DIR";

/// What `login` stores.
#[derive(Clone, Serialize, Deserialize)]
pub struct Tokens {
    pub client_id: String,
    pub client_secret: String,
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: String,
    #[serde(default)]
    pub token_type: String,
    /// Space-separated, as Kick granted them.
    #[serde(default)]
    pub scope: String,
    /// When the access token expires, in seconds since the Unix epoch (unknown: never
    /// refreshed ahead of time, only on a 401).
    #[serde(default)]
    pub expires_at: Option<u64>,
}

/// The config folder.
pub fn dir() -> Result<PathBuf, String> {
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = nonempty(CONFIG_DIR_ENV) {
        return Ok(PathBuf::from(d));
    }
    if let Some(x) = nonempty("XDG_CONFIG_HOME") {
        return Ok(PathBuf::from(x).join("kickwire"));
    }
    nonempty("HOME")
        .map(|h| PathBuf::from(h).join(".config").join("kickwire"))
        .ok_or_else(|| format!("no config folder: set {CONFIG_DIR_ENV} or HOME"))
}

/// The token file's path.
pub fn path() -> Result<PathBuf, String> {
    dir().map(|d| d.join("tokens.json"))
}

/// The stored tokens, `None` when there is no file.
pub fn load() -> Result<Option<Tokens>, String> {
    let p = path()?;
    match std::fs::read(&p) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            format!(
                "{} is not a kickwire token file ({e}): log in again",
                p.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", p.display())),
    }
}

/// Writes the tokens: into a new file created with mode 0600 (never widened, never chmod-ed
/// after), then renamed over the old one, so that no reader sees half a file.
pub fn save(t: &Tokens) -> Result<PathBuf, String> {
    let d = dir()?;
    DirBuilder::new()
        .recursive(true)
        .private(0o700)
        .create(&d)
        .map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    let p = d.join("tokens.json");
    let tmp = d.join(format!("tokens.json.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let json = serde_json::to_vec_pretty(t).map_err(|e| e.to_string())?;
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .private(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(&json).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, &p));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", p.display()));
    }
    Ok(p)
}

/// Unix permission bits for what a builder creates (elsewhere the platform's defaults apply: on
/// Windows, a file in the user's profile is the user's).
trait Private {
    fn private(&mut self, mode: u32) -> &mut Self;
}

#[cfg(unix)]
impl Private for DirBuilder {
    fn private(&mut self, mode: u32) -> &mut Self {
        std::os::unix::fs::DirBuilderExt::mode(self, mode)
    }
}

#[cfg(unix)]
impl Private for OpenOptions {
    fn private(&mut self, mode: u32) -> &mut Self {
        std::os::unix::fs::OpenOptionsExt::mode(self, mode)
    }
}

#[cfg(not(unix))]
impl<T> Private for T {
    fn private(&mut self, _mode: u32) -> &mut Self {
        self
    }
}

/// Removes the token file (none is fine).
pub fn delete() -> Result<PathBuf, String> {
    let p = path()?;
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(p),
        Err(e) => Err(format!("cannot remove {}: {e}", p.display())),
    }
}
