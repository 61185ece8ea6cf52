//! HTTP basic auth: decoding the `Authorization` header and checking service-account credentials.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

use crate::config::Config;

/// What a request's `Authorization` header holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credentials {
    /// No `Authorization` header.
    Absent,
    /// A header that is not well-formed `Basic` auth (another scheme, bad base64, no colon...).
    Malformed,
    /// Decoded `Basic` credentials.
    Basic(String, String),
}

impl Credentials {
    /// Reads the credentials from the raw `Authorization` header value, if any.
    pub(crate) fn from_header(value: Option<&[u8]>) -> Self {
        let Some(value) = value else {
            return Self::Absent;
        };
        decode_basic(value).map_or(Self::Malformed, |(user, secret)| Self::Basic(user, secret))
    }

    /// Whether these are exactly the configured service-account credentials.
    pub(crate) fn is_service_account(&self, config: &Config) -> bool {
        matches!(self, Self::Basic(user, secret)
            if *user == config.service_account_username && *secret == config.service_account_secret)
    }
}

/// Decodes `Basic <base64(user:secret)>`; the scheme name is case-insensitive.
pub(crate) fn decode_basic(value: &[u8]) -> Option<(String, String)> {
    let value = std::str::from_utf8(value).ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let encoded = encoded.trim();
    let decoded = STANDARD
        .decode(encoded)
        .or_else(|_| STANDARD_NO_PAD.decode(encoded))
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, secret) = decoded.split_once(':')?;
    Some((user.to_owned(), secret.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_basic_auth() {
        let header = format!("basic {}", STANDARD.encode("user:pa:ss"));
        assert_eq!(
            decode_basic(header.as_bytes()),
            Some(("user".to_owned(), "pa:ss".to_owned()))
        );
        assert_eq!(decode_basic(b"Bearer abc"), None);
        assert_eq!(decode_basic(b"Basic !!!"), None);
        assert_eq!(
            decode_basic(format!("Basic {}", STANDARD.encode("nocolon")).as_bytes()),
            None
        );
    }

    #[test]
    fn checks_service_account() {
        let config = Config::default();
        let good = Credentials::Basic("emulator-service-account".into(), "emulator-secret".into());
        assert!(good.is_service_account(&config));
        assert!(
            !Credentials::Basic("emulator-service-account".into(), "x".into())
                .is_service_account(&config)
        );
        assert!(!Credentials::Absent.is_service_account(&config));
        assert!(!Credentials::Malformed.is_service_account(&config));
        assert_eq!(Credentials::from_header(None), Credentials::Absent);
        assert_eq!(
            Credentials::from_header(Some(b"Digest x")),
            Credentials::Malformed
        );
    }
}
