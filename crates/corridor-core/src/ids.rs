use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("id must not be 0 or 2^128-1 (both are reserved)")]
    Reserved,
    #[error("id {0:?} is not a decimal 128-bit integer")]
    NotAnInteger(String),
    #[error(
        "BIC {0:?} is malformed: expected 4 letters or digits, a country code, 2 location and optional 3 branch characters"
    )]
    MalformedBic(String),
    #[error("BIC {0:?} names an unknown country code")]
    UnknownBicCountry(String),
    #[error("UETR {0:?} is not a lowercase RFC 4122 version 4 UUID")]
    MalformedUetr(String),
}

impl IdError {
    /// ISO 20022 reason code where one applies: RC01 BankIdentifierIncorrect for BICs,
    /// FF01 InvalidFileFormat otherwise.
    pub fn reason_code(&self) -> &'static str {
        match self {
            IdError::MalformedBic(_) | IdError::UnknownBicCountry(_) => "RC01",
            _ => "FF01",
        }
    }
}

fn truncated(s: &str) -> String {
    s.chars().take(48).collect()
}

fn parse_u128_id(s: &str) -> Result<u128, IdError> {
    let is_plain_digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !is_plain_digits {
        return Err(IdError::NotAnInteger(truncated(s)));
    }
    s.parse::<u128>()
        .map_err(|_| IdError::NotAnInteger(truncated(s)))
}

/// Declares a caller-chosen 128-bit identifier. 0 and `u128::MAX` are reserved, so a
/// zeroed or all-ones buffer can never be mistaken for a real id.
macro_rules! u128_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "u128", into = "u128")]
        pub struct $name(u128);

        impl $name {
            pub const fn new(raw: u128) -> Result<$name, IdError> {
                if raw == 0 || raw == u128::MAX {
                    return Err(IdError::Reserved);
                }
                Ok($name(raw))
            }

            pub const fn get(self) -> u128 {
                self.0
            }
        }

        impl TryFrom<u128> for $name {
            type Error = IdError;
            fn try_from(raw: u128) -> Result<Self, IdError> {
                $name::new(raw)
            }
        }

        impl From<$name> for u128 {
            fn from(id: $name) -> u128 {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                $name::new(parse_u128_id(s)?)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

u128_id!(
    /// Identifies a ledger account; chosen by whoever opens it.
    AccountId
);
u128_id!(
    /// Identifies a ledger transfer; chosen by the caller, which makes retries idempotent.
    TransferId
);

/// A Business Identifier Code (ISO 9362): `AAAA BB CC [DDD]`.
///
/// Stored in its canonical form: upper case, and an 11-character BIC whose branch is `XXX`
/// (the primary office) is the same institution as its 8-character form, so it is stored as
/// the 8-character form and the two compare equal.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bic {
    bytes: [u8; 11],
    len: u8,
}

impl Bic {
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored, so this cannot fail.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    pub fn country(&self) -> &str {
        &self.as_str()[4..6]
    }
}

impl FromStr for Bic {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        let b = s.as_bytes();
        let upper_alnum = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
        let well_formed = (b.len() == 8 || b.len() == 11)
            && b[..4].iter().all(upper_alnum)
            && b[4..6].iter().all(u8::is_ascii_uppercase)
            && b[6..].iter().all(upper_alnum);
        if !well_formed {
            return Err(IdError::MalformedBic(truncated(s)));
        }
        let country = &s[4..6];
        if !crate::is_country_code(country) {
            return Err(IdError::UnknownBicCountry(s.to_owned()));
        }
        let len = if b.len() == 11 && &b[8..] == b"XXX" {
            8
        } else {
            b.len()
        };
        let mut bytes = [0u8; 11];
        bytes[..len].copy_from_slice(&b[..len]);
        Ok(Bic {
            bytes,
            len: len as u8,
        })
    }
}

impl TryFrom<String> for Bic {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        s.parse()
    }
}

impl From<Bic> for String {
    fn from(b: Bic) -> String {
        b.as_str().to_owned()
    }
}

impl fmt::Display for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bic({})", self.as_str())
    }
}

/// Unique End-to-end Transaction Reference: a version 4 UUID in lowercase, as the ISO 20022
/// `UUIDv4Identifier` pattern requires.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uetr(uuid::Uuid);

impl Uetr {
    /// A fresh random UETR. Only edges (gateway, CLI) call this; the core never does.
    pub fn generate() -> Uetr {
        Uetr(uuid::Uuid::new_v4())
    }

    /// The UETR those 16 bytes make once marked version 4: where the bytes come from a hash,
    /// the same inputs always give the same UETR.
    pub fn from_random_bytes(bytes: [u8; 16]) -> Uetr {
        Uetr(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }

    pub fn as_uuid(&self) -> uuid::Uuid {
        self.0
    }
}

impl FromStr for Uetr {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        let err = || IdError::MalformedUetr(truncated(s));
        let hyphenated_lowercase = s.len() == 36
            && s.bytes().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == b'-',
                _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
            });
        if !hyphenated_lowercase {
            return Err(err());
        }
        let uuid = uuid::Uuid::parse_str(s).map_err(|_| err())?;
        if uuid.get_version_num() != 4 || uuid.get_variant() != uuid::Variant::RFC4122 {
            return Err(err());
        }
        Ok(Uetr(uuid))
    }
}

impl TryFrom<String> for Uetr {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        s.parse()
    }
}

impl From<Uetr> for String {
    fn from(u: Uetr) -> String {
        u.to_string()
    }
}

impl fmt::Display for Uetr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl fmt::Debug for Uetr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uetr({})", self.0.hyphenated())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reserved_ids_cannot_be_constructed() {
        assert_eq!(TransferId::new(0), Err(IdError::Reserved));
        assert_eq!(AccountId::new(u128::MAX), Err(IdError::Reserved));
        assert_eq!(TransferId::new(7).unwrap().get(), 7);
        assert_eq!("42".parse::<AccountId>().unwrap().get(), 42);
        for bad in ["", "-1", "+1", " 1", "0x10", "1e3", &"9".repeat(40)] {
            assert!(
                matches!(bad.parse::<TransferId>(), Err(IdError::NotAnInteger(_))),
                "{bad}"
            );
        }
        assert_eq!("0".parse::<TransferId>(), Err(IdError::Reserved));
    }

    #[test]
    fn bics_are_validated_and_canonical() {
        let bic: Bic = "SABRRUMM".parse().unwrap();
        assert_eq!((bic.as_str(), bic.country()), ("SABRRUMM", "RU"));
        assert_eq!(
            "BMJIIRTHXXX".parse::<Bic>().unwrap(),
            "BMJIIRTH".parse::<Bic>().unwrap()
        );
        assert_eq!(
            "BMJIIRTH123".parse::<Bic>().unwrap().as_str(),
            "BMJIIRTH123"
        );
        for bad in [
            "SABRRUM",
            "sabrrumm",
            "SABR1UMM",
            "SABRRUMM1",
            "SABRRUMM12",
            "SAB RUMM",
            "САБРRUMM",
            "",
        ] {
            assert!(
                matches!(bad.parse::<Bic>(), Err(IdError::MalformedBic(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            "SABRQQMM".parse::<Bic>(),
            Err(IdError::UnknownBicCountry(_))
        ));
        assert_eq!("SABRQQMM".parse::<Bic>().unwrap_err().reason_code(), "RC01");
    }

    #[test]
    fn uetr_must_be_lowercase_uuid_v4() {
        let text = "eb6305c9-1f7f-49de-aed0-16487c27b42d";
        assert_eq!(text.parse::<Uetr>().unwrap().to_string(), text);
        for bad in [
            "EB6305C9-1F7F-49DE-AED0-16487C27B42D",
            "eb6305c91f7f49deaed016487c27b42d",
            "eb6305c9-1f7f-19de-aed0-16487c27b42d",
            "eb6305c9-1f7f-49de-ced0-16487c27b42d",
            "{eb6305c9-1f7f-49de-aed0-16487c27b42d}",
            "",
        ] {
            assert!(
                matches!(bad.parse::<Uetr>(), Err(IdError::MalformedUetr(_))),
                "{bad}"
            );
        }
        let fresh = Uetr::generate();
        assert_eq!(fresh.to_string().parse::<Uetr>().unwrap(), fresh);
    }

    proptest! {
        #[test]
        fn parsers_never_panic(text in "\\PC{0,40}") {
            let _ = text.parse::<Bic>();
            let _ = text.parse::<Uetr>();
            let _ = text.parse::<TransferId>();
        }
    }
}
