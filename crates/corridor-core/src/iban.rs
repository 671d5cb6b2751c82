//! IBAN (ISO 13616): the length each country's IBAN has, and the ISO 7064 mod-97 check;
//! the JSON API and the ISO 20022 business rules both check IBANs here.

/// The IBAN length of each country in the SWIFT IBAN registry (ISO 13616 registration
/// authority), sorted by country. Territories that share a parent's format (`AX` with `FI`,
/// `GP` with `FR`, `JE` with `GB` ...) write the parent's code in their IBANs, so they are
/// not listed. `IR` is not in the registry, but Iran's central bank issues 26-character
/// IBANs (Sheba) to every account, and Corridor settles with Iranian banks.
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IR", 26),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// Why an IBAN does not identify an account, or `None` if its country, length and check
/// digits hold. The characters themselves are the first layer's business.
pub fn iban_problem(iban: &str) -> Option<String> {
    let Some(country) = iban.get(..2) else {
        return Some("too short for an IBAN".to_owned());
    };
    let Ok(at) = LENGTHS.binary_search_by_key(&country, |(code, _)| code) else {
        return Some(format!("{country:?} is not a country with IBANs"));
    };
    let length = LENGTHS[at].1;
    let actual = iban.chars().count();
    if actual != length {
        return Some(format!(
            "{actual} characters, a {country} IBAN has {length}"
        ));
    }
    if !iban_check_digits_hold(iban) {
        return Some("the check digits do not match (ISO 7064 mod 97)".to_owned());
    }
    None
}

/// The ISO 7064 mod-97 check alone, whatever the country and length.
pub fn iban_check_digits_hold(iban: &str) -> bool {
    remainder(iban) == Some(1)
}

/// The IBAN's remainder modulo 97 with its first four characters moved to the end and each
/// letter read as two digits (A = 10 ... Z = 35); `None` for a character that is neither.
fn remainder(iban: &str) -> Option<u32> {
    let (head, tail) = iban.split_at_checked(4)?;
    tail.chars().chain(head.chars()).try_fold(0, |r, c| {
        let value = c.to_digit(36)?;
        let scale = if value < 10 { 10 } else { 100 };
        Some((r * scale + value) % 97)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_sorted() {
        assert!(LENGTHS.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn registry_examples_hold() {
        for iban in [
            "GB82WEST12345698765432",
            "DE89370400440532013000",
            "FR1420041010050500013M02606",
            "NL91ABNA0417164300",
            "IR062960000000100324200001",
        ] {
            assert_eq!(iban_problem(iban), None, "{iban}");
        }
        assert!(iban_problem("GB82WEST12345698765433").is_some());
        assert!(iban_problem("US12345678901234").is_some());
        assert!(iban_problem("G").is_some());
    }
}
