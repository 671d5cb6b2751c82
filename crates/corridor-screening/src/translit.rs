//! Readings of a name word across scripts: Cyrillic transliterated to Latin, and the consonant
//! skeleton that Latin, Cyrillic and Arabic-script spellings of one name share.
//!
//! Arabic and Persian do not write short vowels, and Latin spellings of one name differ mostly
//! in vowels and in how a consonant is rendered ("Mohammad", "Muhammed", "Мухаммед", "محمد").
//! The skeleton keeps one letter per consonant class and drops vowels, so all of those read
//! `mhmd`. A published phonetic algorithm (Double Metaphone, Soundex) is tuned for English and
//! has no reading of Arabic script; one key that every script produces keeps the index to one
//! lookup per word, so the skeleton is this crate's own.

/// Transliterates lower-case Cyrillic to Latin after the common passport and BGN readings
/// (х→kh, ж→zh, ц→ts, щ→shch, ю→yu, я→ya, й→i, ё→e; Ukrainian і, ї, є, ґ). Other characters
/// pass unchanged.
pub fn cyrillic_to_latin(text: &str) -> String {
    let mut latin = String::with_capacity(text.len());
    let mut previous = None;
    for c in text.chars() {
        match cyrillic_letter(c) {
            // Russian writes the h of Allah (Аллах, Хайруллах) with х.
            Some("kh") if latin.ends_with("lla") => latin.push('h'),
            // Russian writes the bh, dh, gh, ph and th of foreign names (Bhutto, Qadhafi,
            // Ghana, Joseph, Luther) as бх, дх, гх, пх and тх.
            Some("kh") if matches!(previous, Some('б' | 'д' | 'г' | 'п' | 'т')) => {
                latin.push('h');
            }
            Some(reading) => latin.push_str(reading),
            None => latin.push(c),
        }
        previous = Some(c);
    }
    latin
}

fn cyrillic_letter(c: char) -> Option<&'static str> {
    let reading = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' | 'ї' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    };
    Some(reading)
}

/// The consonant skeleton of a Latin word (a Cyrillic word's Latin key included).
pub fn latin_skeleton(key: &str) -> String {
    latin_reading(key).0
}

/// The consonant skeleton of a Latin word and its vowel gaps (see `Skeleton::gaps`).
pub(crate) fn latin_reading(key: &str) -> (String, u32) {
    latin_reading_as(key, Digraphs::Common)
}

/// The skeleton of a Latin word read as the Arabic-script spelling it may render: "sh" and
/// "zh" as two letters (Ishaq, اسحاق; Mazhari, مظهری) and French "ch" as ش (Chekkouri,
/// شكوري).
pub(crate) fn latin_skeleton_as_arabic(key: &str) -> String {
    latin_reading_as(key, Digraphs::FromArabic).0
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Digraphs {
    Common,
    FromArabic,
}

fn latin_reading_as(key: &str, digraphs: Digraphs) -> (String, u32) {
    let bytes = key.as_bytes();
    let mut skeleton = Skeleton::default();
    let mut at = 0;
    // An Abd- compound's noun may start with h (Abd al-Hamid reads "abdhamid"): its d and h
    // are two letters, not the digraph dh.
    let abd_then_h = key.starts_with("abdh").then_some(2);
    for (offset, c) in key.char_indices() {
        if offset < at {
            continue;
        }
        let rest = &bytes[offset..];
        let (consonant, width) = match digraphs {
            _ if abd_then_h == Some(offset) => (Some('d'), 1),
            Digraphs::FromArabic if rest.starts_with(b"sh") => (Some('s'), 1),
            Digraphs::FromArabic if rest.starts_with(b"zh") => (Some('z'), 1),
            Digraphs::FromArabic if rest.starts_with(b"ch") => (Some('x'), 2),
            _ => latin_consonant(c, rest, offset == 0),
        };
        at = offset + width;
        match consonant {
            Some(consonant) => skeleton.push(Some(consonant)),
            None => skeleton.vowel(),
        }
    }
    skeleton.finish_with_gaps()
}

/// One consonant class (or none, for a vowel) read at the start of `rest`, and how many bytes
/// of the word it took. Digraphs first: the Latin renderings of one Cyrillic or Arabic letter.
fn latin_consonant(c: char, rest: &[u8], first: bool) -> (Option<char>, usize) {
    const DIGRAPHS: [(&[u8], char); 15] = [
        (b"shch", 'x'),
        (b"sch", 'x'),
        (b"tch", 'c'),
        (b"dzh", 'j'),
        (b"sh", 'x'),
        (b"ch", 'c'),
        (b"zh", 'j'),
        (b"dj", 'j'),
        (b"kh", 'h'),
        (b"gh", 'g'),
        (b"ph", 'f'),
        (b"th", 't'),
        (b"dh", 'd'),
        (b"ck", 'k'),
        (b"ts", 't'),
    ];
    if let Some((digraph, class)) = DIGRAPHS.iter().find(|(d, _)| rest.starts_with(d)) {
        // "ts" keeps its s: Cyrillic ц and German z both read as two consonants.
        let width = if *digraph == b"ts" { 1 } else { digraph.len() };
        return (Some(*class), width);
    }
    let class = match c {
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' => None,
        'w' if first => Some('v'),
        'w' => None,
        'q' => Some('k'),
        'c' if matches!(rest.get(1), Some(b'e' | b'i' | b'y')) => Some('s'),
        'c' => Some('k'),
        // "x" is two consonants, k and s: `Skeleton::push` writes both.
        'x' => Some(TWO_CONSONANTS_KS),
        _ => Some(c),
    };
    (class, c.len_utf8())
}

/// The consonant skeleton of an Arabic-script word: long vowels, alef, hamza and ayn are
/// dropped (Latin renders them as vowels or apostrophes); waw is read as v only word-initial.
pub fn arabic_skeleton(text: &str) -> String {
    arabic_reading(text).0
}

/// The consonant skeleton of an Arabic-script word and the gaps between its consonants where
/// it writes a long vowel (alef, waw or yeh read as a vowel).
pub(crate) fn arabic_reading(text: &str) -> (String, u32) {
    let mut skeleton = Skeleton::default();
    for (index, c) in text.chars().enumerate() {
        match arabic_consonant(c, index == 0) {
            Some(consonant) => skeleton.push(Some(consonant)),
            None if matches!(c, 'ا' | 'و' | 'ي') => skeleton.vowel(),
            None => {}
        }
    }
    skeleton.finish_with_gaps()
}

/// The skeleton of an Arabic-script word as Persian and Afghan writers render it in
/// Latin letters: ث as s (Saqib), ض as z (Ramazan, Zamir). `None`
/// when the word has none of those letters.
pub(crate) fn arabic_regional_skeleton(text: &str) -> Option<String> {
    let regional = |c: char| match c {
        'ث' => Some('s'),
        'ض' => Some('z'),
        _ => None,
    };
    if !text.chars().any(|c| regional(c).is_some()) {
        return None;
    }
    let mut skeleton = Skeleton::default();
    for (index, c) in text.chars().enumerate() {
        skeleton.push(regional(c).or_else(|| arabic_consonant(c, index == 0)));
    }
    Some(skeleton.finish_with_gaps().0)
}

/// The class standing for "ks", so that "Alexander" and "Aleksandr" agree.
const TWO_CONSONANTS_KS: char = 'χ';

fn arabic_consonant(c: char, first: bool) -> Option<char> {
    let class = match c {
        'و' if first => 'v',
        'ب' => 'b',
        'پ' => 'p',
        'ت' | 'ث' | 'ط' => 't',
        'ج' | 'ژ' => 'j',
        'چ' => 'c',
        'ح' | 'خ' | 'ه' => 'h',
        'د' | 'ض' => 'd',
        'ذ' | 'ز' | 'ظ' => 'z',
        'ر' => 'r',
        'س' | 'ص' => 's',
        'ش' => 'x',
        'غ' | 'گ' => 'g',
        'ف' => 'f',
        'ق' | 'ك' => 'k',
        'ل' => 'l',
        'م' => 'm',
        'ن' => 'n',
        '0'..='9' => c,
        _ => return None,
    };
    Some(class)
}

/// Collects consonant classes, writing a doubled consonant once (Arabic does not write the
/// doubling that Latin "mm" shows) and dropping a final h, which Latin adds or leaves out at
/// will ("Fatima", "Fatimah", "فاطمه").
#[derive(Default)]
struct Skeleton {
    letters: String,
    last: Option<char>,
    consonants: u32,
    /// Bit n is set when a vowel is written after the skeleton's first n consonants: bit 0
    /// before the first one, bit 1 between the first and the second, and so on.
    gaps: u32,
}

impl Skeleton {
    fn push(&mut self, consonant: Option<char>) {
        let Some(consonant) = consonant else {
            return;
        };
        let letters: &[char] = if consonant == TWO_CONSONANTS_KS {
            &['k', 's']
        } else {
            &[consonant]
        };
        for letter in letters {
            if self.last != Some(*letter) {
                self.letters.push(*letter);
                self.consonants += 1;
            }
            self.last = Some(*letter);
        }
    }

    fn vowel(&mut self) {
        self.gaps |= 1u32.checked_shl(self.consonants).unwrap_or(0);
    }

    /// A final h is dropped and the gap after it becomes the gap after the consonant before.
    fn finish_with_gaps(mut self) -> (String, u32) {
        if self.letters.len() > 1 && self.letters.ends_with('h') {
            self.letters.pop();
            let after = 1u32.checked_shl(self.consonants).unwrap_or(0);
            if self.gaps & after != 0 {
                self.gaps = (self.gaps & !after) | (after >> 1);
            }
        }
        (self.letters, self.gaps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_transliteration_follows_passport_readings() {
        assert_eq!(cyrillic_to_latin("щукин"), "shchukin");
        assert_eq!(cyrillic_to_latin("жуков"), "zhukov");
        assert_eq!(cyrillic_to_latin("цой"), "tsoi");
        assert_eq!(cyrillic_to_latin("юлия"), "yuliya");
        assert_eq!(cyrillic_to_latin("хрущев"), "khrushchev");
    }

    #[test]
    fn aspirated_digraphs_of_foreign_names_read_back_from_cyrillic() {
        assert_eq!(cyrillic_to_latin("гхалаванджи"), "ghalavandzhi");
        assert_eq!(cyrillic_to_latin("валтхер"), "valther");
        assert_eq!(cyrillic_to_latin("михаил"), "mikhail");
        assert_eq!(cyrillic_to_latin("кадхафи"), "kadhafi");
        assert_eq!(cyrillic_to_latin("джосепх"), "dzhoseph");
        assert_eq!(cyrillic_to_latin("хайруллах"), "khairullah");
        assert_eq!(cyrillic_to_latin("абдуллахи"), "abdullahi");
    }

    #[test]
    fn ukrainian_letters_are_transliterated() {
        assert_eq!(cyrillic_to_latin("євген"), "yevgen");
        assert_eq!(cyrillic_to_latin("ґалаган"), "galagan");
        assert_eq!(cyrillic_to_latin("київ"), "kiiv");
    }

    #[test]
    fn mohammad_spellings_share_a_skeleton() {
        for spelling in ["mohammad", "muhammad", "mohammed", "muhammed", "mohamad"] {
            assert_eq!(latin_skeleton(spelling), "mhmd", "{spelling}");
        }
        assert_eq!(latin_skeleton(&cyrillic_to_latin("мухаммед")), "mhmd");
        assert_eq!(arabic_skeleton("محمد"), "mhmd");
    }

    #[test]
    fn kh_and_h_are_one_class() {
        assert_eq!(latin_skeleton("khusein"), latin_skeleton("hussein"));
    }

    #[test]
    fn an_abd_compound_keeps_the_h_of_its_noun() {
        assert_eq!(latin_skeleton("abdhamid"), arabic_skeleton("عبدحميد"));
        assert_eq!(latin_skeleton("abdhamid"), "bdhmd");
    }

    #[test]
    fn q_and_k_are_one_class() {
        assert_eq!(latin_skeleton("qasim"), latin_skeleton("kasim"));
    }

    #[test]
    fn ph_and_f_are_one_class() {
        assert_eq!(latin_skeleton("yusuph"), latin_skeleton("yusuf"));
    }

    #[test]
    fn y_i_and_j_initials_follow_their_readings() {
        assert_eq!(latin_skeleton("yevgeny"), latin_skeleton("evgenii"));
        assert_eq!(latin_skeleton("iakov"), latin_skeleton("yakov"));
        assert_eq!(latin_skeleton("dzhamal"), latin_skeleton("jamal"));
    }

    #[test]
    fn w_is_v_only_at_the_start() {
        assert_eq!(latin_skeleton("walid"), latin_skeleton("valid"));
        assert_eq!(latin_skeleton("dawood"), latin_skeleton("daud"));
    }

    #[test]
    fn x_is_k_and_s() {
        assert_eq!(latin_skeleton("alexander"), latin_skeleton("aleksandr"));
    }

    #[test]
    fn soft_c_is_s() {
        assert_eq!(latin_skeleton("cecilia"), latin_skeleton("sesilia"));
        assert_eq!(latin_skeleton("carlos"), "krls");
    }

    #[test]
    fn final_h_is_optional() {
        assert_eq!(latin_skeleton("fatimah"), latin_skeleton("fatima"));
        assert_eq!(arabic_skeleton("فاطمه"), latin_skeleton("fatemeh"));
    }

    #[test]
    fn persian_hossein_and_latin_hussein_share_a_skeleton() {
        assert_eq!(arabic_skeleton("حسين"), latin_skeleton("hossein"));
        assert_eq!(arabic_skeleton("حسين"), latin_skeleton("hussein"));
    }

    #[test]
    fn arabic_long_vowels_sit_in_the_gaps_latin_writes_vowels_in() {
        let (skeleton, arabic) = arabic_reading("قاعده");
        let (latin_skeleton, latin) = latin_reading("qaida");
        assert_eq!(skeleton, latin_skeleton);
        assert_eq!(arabic, 0b010);
        assert_eq!(arabic & !latin, 0);
        let (_, arad) = arabic_reading("اراد");
        let (_, rida) = latin_reading("rida");
        assert_ne!(arad & !rida, 0);
    }

    #[test]
    fn regional_readings_of_arabic_letters_have_a_skeleton_of_their_own() {
        assert_eq!(
            arabic_regional_skeleton("ثاقب").as_deref(),
            Some(latin_skeleton("saqib").as_str())
        );
        assert_eq!(
            arabic_regional_skeleton("ضمیر").as_deref(),
            Some(latin_skeleton("zamir").as_str())
        );
        assert_eq!(arabic_regional_skeleton("محمد"), None);
    }

    #[test]
    fn latin_sh_and_french_ch_read_as_arabic_script_writes_them() {
        assert_eq!(latin_skeleton_as_arabic("ishak"), arabic_skeleton("اسحاق"));
        assert_eq!(
            latin_skeleton_as_arabic("chekkouri"),
            arabic_skeleton("شكوري")
        );
        assert_eq!(
            latin_skeleton_as_arabic("mazhari"),
            arabic_skeleton("مظهری")
        );
    }

    #[test]
    fn arabic_initial_waw_is_a_consonant() {
        assert_eq!(arabic_skeleton("وليد"), latin_skeleton("walid"));
        assert_eq!(arabic_skeleton("داود"), latin_skeleton("dawood"));
    }

    #[test]
    fn yusuf_reads_alike_in_three_scripts() {
        assert_eq!(arabic_skeleton("يوسف"), latin_skeleton("yusuf"));
        assert_eq!(
            latin_skeleton(&cyrillic_to_latin("юсуф")),
            latin_skeleton("yusuf")
        );
    }
}
