//! A logged-in user's calls: the stored tokens, refreshed when the access token is within
//! [`REFRESH_AHEAD_SECS`] of its expiry, and once more on a 401 (then the request is sent
//! once more, and only once).

use kickwire_proto::http::official::{
    self, API_REQUEST_BUFFER, ApiError, ApiReply, ApiRequest, Client, OfficialRequestError,
};

use super::store::{self, Tokens};
use super::{now_secs, reply, send};
use crate::print;

/// Refresh this long before the access token expires.
pub const REFRESH_AHEAD_SECS: u64 = 60;

/// The stored login.
pub struct Session {
    pub tokens: Tokens,
}

impl Session {
    /// The stored login; an error saying to log in when there is none.
    pub fn load() -> Result<Self, String> {
        match store::load()? {
            Some(tokens) => Ok(Self { tokens }),
            None => Err(format!(
                "not logged in (no {}): run kickwire login first",
                store::path()?.display()
            )),
        }
    }

    /// Refreshes the tokens and stores the new ones.
    fn refresh(&mut self) -> Result<(), String> {
        if self.tokens.refresh_token.is_empty() {
            return Err("the stored login has no refresh token: run kickwire login again".into());
        }
        let client = Client {
            id: &self.tokens.client_id,
            secret: &self.tokens.client_secret,
        };
        let mut buf = vec![0u8; API_REQUEST_BUFFER];
        let req = official::refresh_request(&client, &self.tokens.refresh_token, &mut buf)
            .map_err(|e| e.to_string())?;
        let got = send(&req, None).map_err(|e| format!("refreshing the token: {e}"))?;
        let t = official::parse_oauth_token(&reply(&got))
            .map_err(|e| format!("refreshing the token failed: {e}; run kickwire login again"))?;
        self.tokens.access_token = t.access_token.as_str().to_string();
        // Kick rotates refresh tokens; keep the old one if a reply ever lacks it.
        if !t.refresh_token.is_empty() {
            self.tokens.refresh_token = t.refresh_token.as_str().to_string();
        }
        if !t.scope.is_empty() {
            self.tokens.scope = t.scope.as_str().to_string();
        }
        self.tokens.expires_at = t
            .expires_in
            .map(|s| now_secs().saturating_add(u64::from(s)));
        store::save(&self.tokens)?;
        print::err("[kickwire] access token refreshed");
        Ok(())
    }

    /// Refreshes first when the access token expires within [`REFRESH_AHEAD_SECS`].
    fn refresh_if_due(&mut self) -> Result<(), String> {
        match self.tokens.expires_at {
            Some(at) if at <= now_secs().saturating_add(REFRESH_AHEAD_SECS) => self.refresh(),
            _ => Ok(()),
        }
    }

    /// One API call with the user's token: built by `build`, read by `parse`. A 401 refreshes
    /// the token and sends the request once more.
    pub fn call<T>(
        &mut self,
        build: impl for<'b> Fn(&str, &'b mut [u8]) -> Result<ApiRequest<'b>, OfficialRequestError>,
        parse: impl Fn(&ApiReply<'_>) -> Result<T, ApiError>,
    ) -> Result<T, String> {
        self.refresh_if_due()?;
        let mut retried = false;
        loop {
            let mut buf = vec![0u8; API_REQUEST_BUFFER];
            let req = build(&self.tokens.access_token, &mut buf).map_err(|e| e.to_string())?;
            let got = send(&req.request, Some(req.authorization))?;
            match parse(&reply(&got)) {
                Err(e) if e.is_unauthorized() && !retried => {
                    print::err(
                        "[kickwire] Kick answered 401: refreshing the token and retrying once",
                    );
                    retried = true;
                    self.refresh()?;
                }
                other => return other.map_err(|e| e.to_string()),
            }
        }
    }
}
