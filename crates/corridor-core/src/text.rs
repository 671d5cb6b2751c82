//! Checks on text and codes that every door into Corridor applies alike.

/// Text a screen or a person would not see: control characters and invisible formatting
/// (zero-width, bidirectional overrides, noncharacters), which could hide a name from
/// screening.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

/// An ISO 3166-1 alpha-2 country code, or `XK` (Kosovo), user-assigned in ISO 3166 but
/// used by SWIFT in BICs.
pub fn is_country_code(code: &str) -> bool {
    code == "XK" || (code.len() == 2 && code.parse::<iso_country::Country>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_and_hidden_characters() {
        assert!(is_country_code("RU") && is_country_code("IR") && is_country_code("XK"));
        assert!(!is_country_code("ZZ") && !is_country_code("ru") && !is_country_code("RUS"));
        assert!(is_hidden('\u{200B}') && is_hidden('\n') && !is_hidden('Ж'));
    }
}
