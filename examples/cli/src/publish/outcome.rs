//! What one answer from the engine means for the batch that was sent.

/// What to do with a batch after one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: the engine took every event of the batch.
    Accepted,
    /// Worth retrying with the same events: no connection, a timeout, no HTTP answer, 5xx
    /// (the engine failing or shutting down) or 429 (too many requests). `engine_up` is
    /// false unless the engine itself answered (429).
    Retry {
        /// Whether the engine answered (only 429 among these).
        engine_up: bool,
        /// What went wrong, for `last_error`.
        reason: String,
    },
    /// Any other answer (4xx other than 429, or 1xx/3xx): the engine refuses this request and
    /// would refuse it again (a bad signature, an unknown app, a body too large), so the batch
    /// is dropped.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The status and the start of the engine's answer, for `last_error`.
        reason: String,
    },
}

/// Longest part of an engine's answer kept in `last_error`.
const MAX_REASON: usize = 300;

impl Outcome {
    /// The meaning of an HTTP answer with `status` and `body`.
    ///
    /// ```
    /// use kickwire_cli::publish::Outcome;
    /// assert_eq!(Outcome::of_answer(200, "{}"), Outcome::Accepted);
    /// assert!(matches!(Outcome::of_answer(503, ""), Outcome::Retry { engine_up: false, .. }));
    /// assert!(matches!(Outcome::of_answer(401, ""), Outcome::Refused { status: 401, .. }));
    /// ```
    #[must_use]
    pub fn of_answer(status: u16, body: &str) -> Self {
        let reason = format!("HTTP {status}: {}", shorten(body.trim()));
        match status {
            200..=299 => Self::Accepted,
            429 => Self::Retry {
                engine_up: true,
                reason,
            },
            500..=599 => Self::Retry {
                engine_up: false,
                reason,
            },
            _ => Self::Refused { status, reason },
        }
    }

    /// The meaning of a request that got no answer (`error` from the HTTP client).
    #[must_use]
    pub fn of_failure(error: &str) -> Self {
        Self::Retry {
            engine_up: false,
            reason: shorten(error).to_owned(),
        }
    }
}

/// At most [`MAX_REASON`] bytes of `text`, cut at a character boundary.
fn shorten(text: &str) -> &str {
    let mut end = text.len().min(MAX_REASON);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}
