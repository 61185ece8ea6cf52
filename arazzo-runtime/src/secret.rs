//! A string that never shows itself in `Debug` or `Display` output.

use std::fmt;

/// A secret value (a password, token or API key).
///
/// `Debug` and `Display` print `***`, so a secret cannot leak through logs, panics or error
/// messages by accident. Use [`Secret::expose`] where the value must really be sent.
///
/// ```
/// let token = arazzo_runtime::Secret::new("tok-7f3a");
/// assert_eq!(format!("{token:?} {token}"), "Secret(***) ***");
/// assert_eq!(token.expose(), "tok-7f3a");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    ///
    /// ```
    /// let from_str: arazzo_runtime::Secret = "hunter22".into();
    /// assert_eq!(from_str, arazzo_runtime::Secret::new(String::from("hunter22")));
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself, for the one place that has to send it.
    ///
    /// ```
    /// let key = arazzo_runtime::Secret::new("k-123");
    /// let header = format!("Bearer {}", key.expose());
    /// assert_eq!(header, "Bearer k-123");
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Replaces every occurrence of each of `secrets` (longest first, as [`crate::Run`] lists
/// them) in the strings and keys of `value` with `***`.
pub(crate) fn mask_json(value: &mut serde_json::Value, secrets: &[String]) {
    let mask = |text: &mut String| {
        for secret in secrets {
            if text.contains(secret.as_str()) {
                *text = text.replace(secret.as_str(), "***");
            }
        }
    };
    match value {
        serde_json::Value::String(text) => mask(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| mask_json(v, secrets)),
        serde_json::Value::Object(members) => {
            let entries = std::mem::take(members);
            for (mut key, mut member) in entries {
                mask(&mut key);
                mask_json(&mut member, secrets);
                members.insert(key, member);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn secrets_are_masked_in_json_strings_and_keys() {
        let mut value = serde_json::json!({"token": "Bearer s3cr3t", "s3cr3t": [1, "x s3cr3t"]});
        super::mask_json(&mut value, &["s3cr3t".to_owned()]);
        assert_eq!(
            value,
            serde_json::json!({"token": "Bearer ***", "***": [1, "x ***"]})
        );
    }

    #[test]
    fn secret_is_redacted_in_debug_and_display() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "hunter2");
    }
}
