//! Reading the official verbs' options: `--name VALUE` pairs, flags and positionals.

/// The next argument as `name`'s value.
pub fn value(it: &mut std::slice::Iter<'_, String>, name: &str) -> Result<String, String> {
    it.next()
        .cloned()
        .ok_or_else(|| format!("{name} needs a value"))
}

/// A number for `name`.
pub fn number(s: &str, name: &str) -> Result<u64, String> {
    s.parse()
        .map_err(|_| format!("{name} wants a number, not '{s}'"))
}

/// Where the client secret may come from instead of `--client-secret`, which other local
/// users can read in the process list.
pub const CLIENT_SECRET_ENV: &str = "KICKWIRE_CLIENT_SECRET";

/// `--client-secret`'s value, else [`CLIENT_SECRET_ENV`]'s.
pub fn client_secret(given: Option<String>) -> Option<String> {
    given.or_else(|| {
        std::env::var(CLIENT_SECRET_ENV)
            .ok()
            .filter(|s| !s.is_empty())
    })
}
