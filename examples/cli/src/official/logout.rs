//! `kickwire logout`: revokes the stored access and refresh tokens, then deletes the token
//! file. Offline (or refused), the file is deleted all the same, with a warning that the tokens
//! stay valid until they expire.

use std::process::ExitCode;

use kickwire_proto::http::official::{self, API_REQUEST_BUFFER, TokenHint};

use super::store;
use super::{reply, send};
use crate::print;

pub fn run(args: &[String]) -> ExitCode {
    if let Some(a) = args.first() {
        print::err(&format!("kickwire: logout: unexpected argument '{a}'"));
        return ExitCode::from(2);
    }
    let tokens = match store::load() {
        Ok(Some(t)) => Some(t),
        Ok(None) => None,
        Err(msg) => {
            // A broken file is still removed: that is what logging out asks.
            print::err(&format!("[kickwire] warning: {msg}"));
            None
        }
    };
    match &tokens {
        Some(t) => {
            for (token, hint, name) in [
                (&t.access_token, TokenHint::Access, "access"),
                (&t.refresh_token, TokenHint::Refresh, "refresh"),
            ] {
                if token.is_empty() {
                    continue;
                }
                if let Err(why) = revoke(token, hint) {
                    print::err(&format!(
                        "[kickwire] warning: could not revoke the {name} token ({why}); it stays valid until it expires"
                    ));
                }
            }
        }
        None => print::err("[kickwire] no stored login to revoke"),
    }
    match store::delete() {
        Ok(p) => {
            print::err(&format!("[kickwire] logged out; removed {}", p.display()));
            ExitCode::SUCCESS
        }
        Err(msg) => {
            print::err(&format!("kickwire: logout: {msg}"));
            ExitCode::FAILURE
        }
    }
}

fn revoke(token: &str, hint: TokenHint) -> Result<(), String> {
    let mut buf = vec![0u8; API_REQUEST_BUFFER];
    let req = official::revoke_request(token, hint, &mut buf).map_err(|e| e.to_string())?;
    let got = send(&req, None)?;
    official::parse_revoke(&reply(&got)).map_err(|e| e.to_string())
}
