//! What the client commands share: options read as BICs and currencies, arguments made into
//! URL path segments, and `--json` output.

use corridor_core::{Bic, CurrencyCode};

use super::conn::{Answer, ConnArgs};
use super::render::pretty_json;

/// A BIC option; lower case is accepted.
pub(super) fn bic_arg(text: &str) -> Result<Bic, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|e: corridor_core::IdError| e.to_string())
}

/// A currency option; lower case is accepted.
pub(super) fn currency_arg(text: &str) -> Result<CurrencyCode, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|e: corridor_core::CurrencyError| e.to_string())
}

/// A `BIC=AMOUNT` option (a limit or a cap toward one bank); the amount is checked by the
/// node, with the currency's scale.
pub(super) fn bic_amount_arg(text: &str) -> Result<(Bic, String), String> {
    let (bic, amount) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected BIC=AMOUNT"))?;
    Ok((bic_arg(bic)?, amount.trim().to_string()))
}

/// One path segment, percent-encoded, so an argument cannot change the route. Dot
/// segments are refused: URL parsers resolve them even when encoded.
pub(super) fn segment(what: &str, text: &str) -> anyhow::Result<String> {
    let text = text.trim();
    if text.is_empty() || text.trim_matches('.').is_empty() {
        anyhow::bail!("{what} {text:?} is not valid");
    }
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

/// Prints an answer with `--json`, and says whether it did.
pub(super) fn print_json(conn: &ConnArgs, answer: &Answer) -> bool {
    if conn.json {
        println!("{}", pretty_json(&answer.body));
    }
    conn.json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(segment("payment", "130").ok(), Some("130".into()));
        assert_eq!(
            segment("payment", "1b734043-58ca-4548-a8ab-3cfda2803d45").ok(),
            Some("1b734043-58ca-4548-a8ab-3cfda2803d45".into())
        );
        assert_eq!(
            segment("payment", "../x?y").ok(),
            Some("%2E%2E%2Fx%3Fy".into())
        );
        assert!(segment("payment", "..").is_err());
        assert!(segment("payment", "").is_err());
    }

    #[test]
    fn options_accept_lower_case() {
        assert_eq!(
            bic_arg("volgrumm").map(|b| b.to_string()).ok(),
            Some("VOLGRUMM".into())
        );
        assert_eq!(
            currency_arg("rub").map(|c| c.to_string()).ok(),
            Some("RUB".into())
        );
        assert!(currency_arg("RUBX").is_err());
    }
}
