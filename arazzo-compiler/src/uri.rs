//! URIs of Arazzo documents (Arazzo 1.1, "Relative References in Arazzo Description URIs"):
//! `$self` checked as a URI-reference without a fragment, and the base URI that identifies a
//! document, which identity-based references match.

use std::path::Path;

use url::Url;

use crate::decode::S;
use crate::diag::Diags;

/// Checks `$self`: a URI-reference (RFC 3986 §4.1) without a fragment.
pub fn check_self(diags: &mut Diags, uri: &S) {
    let text = uri.value.as_str();
    let help = Some(
        "write the document's URI, e.g. `https://example.com/workflows/purchase.arazzo.yaml`"
            .to_owned(),
    );
    if text.is_empty() {
        diags.error_help(uri.loc, "`$self` must not be empty", help);
    } else if let Some(fragment) = text.find('#').map(|i| &text[i..]) {
        diags.error_help(
            uri.loc,
            format!("`$self` `{text}` has a fragment (`{fragment}`); a document's URI must not"),
            Some(format!("remove `{fragment}`")),
        );
    } else if let Some(bad) = text.chars().find(|c| !is_uri_char(*c)) {
        diags.error_help(
            uri.loc,
            format!("`$self` `{text}` is not a URI reference (RFC 3986): `{bad}` is not allowed in a URI"),
            Some(format!("percent-encode it (`{}`)", percent_encoded(bad))),
        );
    } else if !has_valid_percent_escapes(text) {
        diags.error_help(
            uri.loc,
            format!("`$self` `{text}` is not a URI reference (RFC 3986): `%` must be followed by two hexadecimal digits"),
            Some("write `%25` for a literal `%`".to_owned()),
        );
    } else if is_absolute(text) && Url::parse(text).is_err() {
        diags.error_help(
            uri.loc,
            format!("`$self` `{text}` is not a valid absolute URI"),
            help,
        );
    }
}

/// Whether `text` is an absolute URI (it has a scheme), as a source `url` that names a
/// document by identity is.
pub fn is_absolute(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        // A Windows drive (`C:\…`) is a path.
        && scheme.len() > 1
}

/// The base URI of a document read from `path`: its `$self` resolved against the file's
/// location (Appendix B, "Resolving Relative `$self`"), or `None` without `$self`.
pub fn base(self_uri: Option<&str>, path: &Path) -> Option<Url> {
    let self_uri = self_uri?;
    let location = Url::from_file_path(path).ok().or_else(|| {
        Url::parse("file:///")
            .ok()?
            .join(&path.to_string_lossy())
            .ok()
    })?;
    location.join(self_uri).ok()
}

/// The URI that `reference` names, read in a document whose base URI is `base`: an absolute
/// URI as it is, a relative one resolved against the base (RFC 3986 §5.2).
pub fn resolve(base: Option<&Url>, reference: &str) -> Option<Url> {
    if is_absolute(reference) {
        return Url::parse(reference).ok();
    }
    base?.join(reference).ok()
}

/// RFC 3986's unreserved, reserved and `%` characters.
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

fn has_valid_percent_escapes(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    })
}

fn percent_encoded(c: char) -> String {
    let mut buffer = [0; 4];
    c.encode_utf8(&mut buffer)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}
