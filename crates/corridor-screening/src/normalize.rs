//! Name text to raw name tokens: invisible characters dropped, compatibility forms and marks
//! removed, case folded, letter variants of one script folded to one letter, lookalike letters
//! of another script folded inside a token, and the text split into tokens. Which tokens are
//! titles, legal forms or articles is `rules.rs`'s concern.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::translit::cyrillic_to_latin;

/// The script a name token is written in, after lookalikes were folded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Script {
    Latin,
    Cyrillic,
    /// Arabic and Persian (and Urdu, Pashto) letters.
    Arabic,
    /// Any other script (Han, Hangul, Devanagari, Greek ...): matched on its exact form and
    /// through the dictionary only.
    Other,
}

/// One word of a name after normalisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameToken {
    /// The folded word in its own script: what exact matches and the dictionary look at.
    pub text: String,
    /// The word in Latin letters when it has a reading in them (Latin as is, Cyrillic
    /// transliterated); Arabic-script and other words repeat `text`.
    pub key: String,
    pub script: Script,
    /// An Arabic article joined to the word was removed (القاعدة → قاعده).
    pub had_article: bool,
}

impl NameToken {
    pub(crate) fn new(text: String, script: Script) -> NameToken {
        let key = match script {
            Script::Cyrillic => cyrillic_to_latin(&text),
            Script::Latin | Script::Arabic | Script::Other => text.clone(),
        };
        NameToken {
            text,
            key,
            script,
            had_article: false,
        }
    }

    /// Whether `key` is a reading in Latin letters (Latin and Cyrillic words).
    pub fn has_latin_reading(&self) -> bool {
        matches!(self.script, Script::Latin | Script::Cyrillic)
    }
}

/// Splits a name into folded tokens, with no rule about titles or articles applied.
pub fn raw_tokens(name: &str) -> Vec<NameToken> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in name.chars().filter(|c| !is_invisible(*c)).nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        for lower in c.to_lowercase() {
            if is_combining_mark(lower) || is_word_joiner(lower) {
                continue;
            }
            if in_letter_block(lower) || lower.is_alphanumeric() {
                push_folded(lower, &mut word);
            } else if !word.is_empty() {
                tokens.push(resolve_lookalikes(&word));
                word.clear();
            }
        }
    }
    if !word.is_empty() {
        tokens.push(resolve_lookalikes(&word));
    }
    tokens
}

/// Whether `c` is in a range of a script names are often written in where every code point
/// is a letter (lower-case Cyrillic; Arabic and Persian letters; Devanagari vowels and
/// consonants; Thai letters; CJK ideographs; Hangul jamo, which is what a Hangul syllable
/// becomes once decomposed): asked before `char::is_alphabetic`, which searches Unicode's
/// tables for every letter outside ASCII.
fn in_letter_block(c: char) -> bool {
    matches!(c,
        'а'..='џ' | 'ء'..='ي' | 'ٱ'..='ۓ' | 'ऄ'..='ह' | 'ก'..='ะ' | 'า'..='ำ' | 'เ'..='ๆ'
        | '\u{1100}'..='\u{11FF}' | '\u{4E00}'..='\u{9FFF}')
}

/// Characters that change nothing a reader sees: format controls, bidi marks, soft hyphen,
/// the Arabic tatweel that only stretches a word, the Persian zero-width non-joiner.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{0640}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Apostrophes join the parts of one word: "O'Brien", "Ma'mun", "D’Souza".
fn is_word_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | 'ʻ' | '`' | '´' | 'ʿ' | 'ʾ')
}

/// Letters that Unicode does not decompose but every reader takes for their base letter, and
/// the several code points Arabic and Persian use for one letter.
fn push_folded(c: char, word: &mut String) {
    let folded = match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'ı' => "i",
        'ħ' => "h",
        'ی' | 'ى' | 'ې' | 'ے' => "ي",
        'ک' | 'ڪ' => "ك",
        'ة' | 'ە' | 'ھ' | 'ہ' | 'ۃ' => "ه",
        // Urdu's retroflex letters are read, in Latin, as the plain ones.
        'ٹ' => "ت",
        'ڈ' => "د",
        'ڑ' => "ر",
        'ں' => "ن",
        'ٱ' => "ا",
        '٠'..='٩' => return push_digit(c, '٠', word),
        '۰'..='۹' => return push_digit(c, '۰', word),
        _ => {
            word.push(c);
            return;
        }
    };
    word.push_str(folded);
}

fn push_digit(c: char, zero: char, word: &mut String) {
    let value = u32::from(c) - u32::from(zero);
    if let Some(digit) = char::from_digit(value, 10) {
        word.push(digit);
    }
}

fn script_of(c: char) -> Option<Script> {
    match c {
        'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Some(Script::Latin),
        '\u{0400}'..='\u{052F}' => Some(Script::Cyrillic),
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' => {
            Some(Script::Arabic)
        }
        _ if in_letter_block(c) || c.is_alphabetic() => Some(Script::Other),
        _ => None,
    }
}

/// A token mixing scripts is a spoof or a slip ("Аl Qaida" with a Cyrillic А): when every
/// letter of the minority script looks like a letter of the other, it is read as that one.
fn resolve_lookalikes(word: &str) -> NameToken {
    let (mut latin, mut cyrillic, mut arabic, mut other) = (0usize, 0usize, 0usize, 0usize);
    for c in word.chars() {
        match script_of(c) {
            Some(Script::Latin) => latin += 1,
            Some(Script::Cyrillic) => cyrillic += 1,
            Some(Script::Arabic) => arabic += 1,
            Some(Script::Other) => other += 1,
            None => {}
        }
    }
    let foreign_in_latin = word
        .chars()
        .filter(|c| !matches!(script_of(*c), Some(Script::Latin) | None))
        .all(|c| latin_lookalike(c).is_some());
    if latin > 0 && foreign_in_latin {
        let folded = word
            .chars()
            .map(|c| latin_lookalike(c).unwrap_or(c))
            .collect();
        return NameToken::new(folded, Script::Latin);
    }
    let latin_in_cyrillic = word
        .chars()
        .filter(|c| script_of(*c) == Some(Script::Latin))
        .all(|c| cyrillic_lookalike(c).is_some());
    if cyrillic > 0 && latin_in_cyrillic {
        let folded = word
            .chars()
            .map(|c| cyrillic_lookalike(c).unwrap_or(c))
            .collect();
        return NameToken::new(folded, Script::Cyrillic);
    }
    let script = if arabic >= latin.max(cyrillic).max(other) && arabic > 0 {
        Script::Arabic
    } else if latin == 0 && cyrillic == 0 && arabic == 0 {
        Script::Other
    } else if latin >= cyrillic {
        Script::Latin
    } else {
        Script::Cyrillic
    };
    NameToken::new(word.to_owned(), script)
}

/// Cyrillic and Greek letters whose lower or upper case looks like a Latin letter.
fn latin_lookalike(c: char) -> Option<char> {
    let latin = match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' | 'ε' => 'e',
        'һ' | 'н' | 'η' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'ӏ' => 'l',
        'м' | 'μ' => 'm',
        'ν' => 'v',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'у' | 'υ' => 'y',
        'ԝ' => 'w',
        'х' | 'χ' => 'x',
        'ζ' => 'z',
        _ => return None,
    };
    Some(latin)
}

/// Latin letters that look like a Cyrillic letter, for a Cyrillic word with a Latin slip.
fn cyrillic_lookalike(c: char) -> Option<char> {
    let cyrillic = match c {
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'e' => 'е',
        'h' => 'н',
        'i' => 'і',
        'k' => 'к',
        'm' => 'м',
        'o' => 'о',
        'p' => 'р',
        't' => 'т',
        'x' => 'х',
        'y' => 'у',
        _ => return None,
    };
    Some(cyrillic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_blocks_hold_only_letters() {
        let letters_outside = ('\0'..=char::MAX)
            .filter(|c| in_letter_block(*c) && !c.is_alphabetic())
            .count();
        assert_eq!(letters_outside, 0);
    }

    fn texts(name: &str) -> Vec<String> {
        raw_tokens(name).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn diacritics_and_case_are_folded() {
        assert_eq!(
            texts("JOSÉ Müller-Lüdenscheidt"),
            ["jose", "muller", "ludenscheidt"]
        );
    }

    #[test]
    fn compatibility_forms_are_folded() {
        assert_eq!(texts("ＡＢＣ ﬁrm"), ["abc", "firm"]);
    }

    #[test]
    fn letters_without_decomposition_are_folded() {
        assert_eq!(
            texts("Straße Łukasz Ørsted"),
            ["strasse", "lukasz", "orsted"]
        );
    }

    #[test]
    fn zero_width_and_bidi_characters_are_dropped() {
        assert_eq!(
            texts("Osa\u{200B}ma \u{202E}Bin\u{202C} La\u{00AD}den"),
            ["osama", "bin", "laden"]
        );
    }

    #[test]
    fn tatweel_and_harakat_are_dropped() {
        assert_eq!(texts("مـــحَمَّد"), ["محمد"]);
    }

    #[test]
    fn persian_zero_width_non_joiner_joins_the_word() {
        assert_eq!(texts("عبد\u{200C}الله"), ["عبدالله"]);
    }

    #[test]
    fn persian_and_arabic_yeh_and_kaf_are_one_letter() {
        assert_eq!(texts("حسین"), texts("حسين"));
        assert_eq!(texts("کریم"), texts("كريم"));
        assert_eq!(texts("موسى"), texts("موسي"));
    }

    #[test]
    fn urdu_letters_are_their_arabic_counterparts() {
        assert_eq!(texts("ثناء اللہ"), texts("ثناء الله"));
        assert_eq!(texts("گیدڑ"), texts("گیدر"));
        assert_eq!(texts("بھٹو"), texts("بهتو"));
    }

    #[test]
    fn teh_marbuta_is_heh() {
        assert_eq!(texts("فاطمة"), texts("فاطمه"));
    }

    #[test]
    fn alef_forms_are_plain_alef() {
        assert_eq!(texts("أحمد"), texts("احمد"));
        assert_eq!(texts("إبراهيم"), texts("ابراهيم"));
        assert_eq!(texts("آدم"), texts("ادم"));
        assert_eq!(texts("ٱلله"), texts("الله"));
    }

    #[test]
    fn persian_and_arabic_digits_are_ascii() {
        assert_eq!(texts("۱۲۳ ٤٥٦"), ["123", "456"]);
    }

    #[test]
    fn cyrillic_lookalike_in_a_latin_word_is_latin() {
        let tokens = raw_tokens("\u{0410}l Qaida");
        assert_eq!(tokens[0].text, "al");
        assert_eq!(tokens[0].script, Script::Latin);
    }

    #[test]
    fn greek_lookalike_in_a_latin_word_is_latin() {
        assert_eq!(texts("Οsama"), ["osama"]);
    }

    #[test]
    fn latin_lookalike_in_a_cyrillic_word_is_cyrillic() {
        let tokens = raw_tokens("Путиh");
        assert_eq!(tokens[0].text, "путин");
        assert_eq!(tokens[0].script, Script::Cyrillic);
    }

    #[test]
    fn punctuation_and_hyphens_split_words() {
        assert_eq!(texts("Al-Qaida, (AQ)/Base"), ["al", "qaida", "aq", "base"]);
    }

    #[test]
    fn apostrophes_join_a_word() {
        assert_eq!(texts("O'Brien D’Souza"), ["obrien", "dsouza"]);
    }

    #[test]
    fn cyrillic_words_get_a_latin_key() {
        let tokens = raw_tokens("Хрущёв");
        assert_eq!(tokens[0].text, "хрущев");
        assert_eq!(tokens[0].key, "khrushchev");
    }

    #[test]
    fn han_words_are_other_script() {
        assert_eq!(raw_tokens("王伟")[0].script, Script::Other);
    }
}
