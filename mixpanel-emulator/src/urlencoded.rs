//! Decoding of `application/x-www-form-urlencoded` text (query strings and form bodies).

/// Splits `input` into decoded `(name, value)` pairs, in order.
///
/// `+` stands for a space, `%XX` for a byte; a malformed `%` escape is kept as written and bytes
/// that are not UTF-8 are replaced with U+FFFD. Empty segments (`a=1&&b=2`) are skipped and a
/// segment without `=` has an empty value.
pub(crate) fn parse_pairs(input: &str) -> Vec<(String, String)> {
    input
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| match segment.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(segment), String::new()),
        })
        .collect()
}

/// Decodes one form-encoded component.
pub(crate) fn decode(component: &str) -> String {
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match (
                bytes.get(i + 1).and_then(hex),
                bytes.get(i + 2).and_then(hex),
            ) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: &u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_in_order() {
        assert_eq!(
            parse_pairs("b=2&a=x+y%21&&flag&c=%zz%4"),
            vec![
                ("b".to_owned(), "2".to_owned()),
                ("a".to_owned(), "x y!".to_owned()),
                ("flag".to_owned(), String::new()),
                ("c".to_owned(), "%zz%4".to_owned()),
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(decode("%ff%41"), "\u{fffd}A");
    }
}
