//! Country names as the UN and OFAC write them ("Iran (Islamic Republic of)", "Korea,
//! North", "Russian Federation") mapped to ISO 3166 alpha-2 codes through `celes`' table of
//! names and aliases. A name the table does not know is never guessed: it is left out of the
//! entry and reported, unless it is one of the words lists write for "not known".

use crate::error::Problem;
use celes::Country;

/// UN M49 names and OFAC spellings that no rearrangement of words turns into a name
/// `celes` knows.
const SPELLINGS: [(&str, &str); 4] = [
    ("China, Hong Kong Special Administrative Region", "HK"),
    ("China, Macao Special Administrative Region", "MO"),
    ("North Macedonia, The Republic of", "MK"),
    ("Congo, Republic of the", "CG"),
];

/// What lists write where they know no country: nothing to read, and nothing to report.
const NOT_KNOWN: [&str; 4] = ["na", "n/a", "unknown", "undetermined"];

/// The alpha-2 code of a country name; `None` for a word that says the list knows no
/// country; an error for a name that is not a country the table knows.
pub(crate) fn country_of_name(name: &str) -> Result<Option<&'static str>, Problem> {
    let trimmed = name.trim();
    if trimmed.is_empty() || NOT_KNOWN.iter().any(|w| w.eq_ignore_ascii_case(trimmed)) {
        return Ok(None);
    }
    alpha2_of_name(trimmed)
        .map(Some)
        .ok_or_else(|| Problem::UnknownCountryName(trimmed.to_owned()))
}

/// The alpha-2 code of a country name, if the name is one.
pub(crate) fn alpha2_of_name(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if let Some((_, code)) = SPELLINGS.iter().find(|(known, _)| *known == name) {
        return Some(code);
    }
    let found = look_up(name).or_else(|| reordered(name).and_then(|n| look_up(&n)))?;
    Some(found.alpha2)
}

/// The code itself, upper case, when `code` is an ISO 3166 alpha-2 code.
pub(crate) fn alpha2_of_code(code: &str) -> Option<&'static str> {
    let code = code.trim();
    if code.len() != 2 {
        return None;
    }
    Country::from_alpha2(code.to_ascii_lowercase())
        .ok()
        .map(|c| c.alpha2)
}

/// Lists invert names for sorting: "Iran (Islamic Republic of)" is the Islamic Republic of
/// Iran, "Congo, Democratic Republic of the" the Democratic Republic of the Congo.
fn reordered(name: &str) -> Option<String> {
    if let Some((head, tail)) = name.split_once(" (") {
        return Some(format!("{} {head}", tail.trim_end_matches(')')));
    }
    let (head, tail) = name.split_once(", ")?;
    Some(format!("{tail} {head}"))
}

/// `celes` keys its names lower case without spaces or punctuation, some with a leading
/// "the". Its codes are deliberately not consulted: "NA" in the UN list means "not
/// available", not Namibia.
fn look_up(name: &str) -> Option<Country> {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if key.is_empty() {
        return None;
    }
    Country::from_name(&key)
        .or_else(|_| Country::from_alias(&key))
        .or_else(|_| Country::from_name(format!("the{key}")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_and_ofac_spellings_map_to_alpha2() {
        let cases = [
            ("Iran (Islamic Republic of)", "IR"),
            ("Iran", "IR"),
            ("Russian Federation", "RU"),
            ("Russia", "RU"),
            ("Democratic People's Republic of Korea", "KP"),
            ("Korea, North", "KP"),
            ("Korea, South", "KR"),
            ("Congo, Democratic Republic of the", "CD"),
            ("Syrian Arab Republic", "SY"),
            ("Türkiye", "TR"),
            ("Viet Nam", "VN"),
            ("United Republic of Tanzania", "TZ"),
            ("State of Palestine", "PS"),
            ("United Kingdom of Great Britain and Northern Ireland", "GB"),
            ("China, Hong Kong Special Administrative Region", "HK"),
            ("North Macedonia, The Republic of", "MK"),
            ("Congo, Republic of the", "CG"),
            ("Burma", "MM"),
            ("Niger", "NE"),
            ("Nigeria", "NG"),
        ];
        for (name, code) in cases {
            assert_eq!(alpha2_of_name(name), Some(code), "{name}");
        }
    }

    #[test]
    fn names_that_are_not_countries_are_dropped() {
        for name in [
            "na",
            "undetermined",
            "Region: Crimea",
            "Palestinian",
            "",
            "  ",
        ] {
            assert_eq!(alpha2_of_name(name), None, "{name}");
        }
    }

    #[test]
    fn words_for_no_country_are_no_value_and_other_names_are_problems() {
        for name in ["na", "NA", "Undetermined", "unknown", " "] {
            assert_eq!(country_of_name(name), Ok(None), "{name}");
        }
        assert_eq!(country_of_name(" Iran "), Ok(Some("IR")));
        assert_eq!(
            country_of_name("Region: Crimea"),
            Err(Problem::UnknownCountryName("Region: Crimea".into()))
        );
    }

    #[test]
    fn codes_are_checked_against_iso_3166() {
        assert_eq!(alpha2_of_code("ir"), Some("IR"));
        assert_eq!(alpha2_of_code("QQ"), None);
        assert_eq!(alpha2_of_code("Iran"), None);
    }
}
