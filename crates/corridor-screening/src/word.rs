//! A name word prepared for matching: its readings (own script, Latin, consonant skeleton),
//! its dictionary groups, its weight, the index keys it is found under, and how two words
//! compare.

use rapidfuzz::distance::osa;
use smallvec::SmallVec;
use strsim::jaro_winkler;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::candidate::MatchKind;
use crate::dictionary::NameDictionary;
use crate::normalize::{NameToken, Script};
use crate::rules::{is_descriptive, is_function_word, is_patronymic, name_tokens};
use crate::translit::{
    arabic_reading, arabic_regional_skeleton, latin_reading, latin_skeleton,
    latin_skeleton_as_arabic,
};

/// A name has at most this many words for matching; the rest of a longer text is ignored.
pub const MAX_WORDS: usize = 32;

/// A word is compared by at most its first this many characters: indexing and comparing a
/// word costs its length squared (one key per consonant left out, edit distances), and no
/// name's word is this long, so a hostile 60 KB word costs what a 64-character one does.
pub const MAX_WORD_CHARS: usize = 64;

/// Only this many characters of a name are read: ISO 20022 names are at most 140 and listed
/// names a few hundred, so normalising a longer text would only cost time.
pub const MAX_NAME_CHARS: usize = 1_024;

/// Groups a word is indexed and compared under at most; a few very common spellings (hiroshi,
/// akira) belong to close to a hundred groups.
const MAX_GROUPS: usize = 32;

/// A skeleton of this many consonants or more is also indexed with each consonant left out,
/// so a one-letter slip ("Putim") still finds its candidate.
const DELETION_MIN_LEN: usize = 4;

/// A dictionary reading of one Han character: a hit only when the name's other words agree.
const SINGLE_CHARACTER_READING: u16 = 860;

const TAG_TEXT: u64 = 0;
const TAG_KEY: u64 = 1;
const TAG_SKELETON: u64 = 2;
const TAG_GROUP: u64 = 3;

/// Spellings of a word that only ever need comparing are kept as their hashes (64 bits: a
/// collision is about one in 10^19 per pair compared). The fields most comparisons read
/// fill the first 64 bytes, the widest first so that none is padded (`repr(C)`): comparing
/// two words that differ reads the start of the listed word and none of its letters.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Word {
    /// One bit per group (its number modulo 128): two words with no bit in common share no
    /// group, and most pairs compared are told so without reading either list. A common
    /// name belongs to dozens of groups; fewer bits would nearly all be set.
    group_bits: u128,
    /// Hashes of the text, key and skeleton: a screening compares many words that differ,
    /// and two hashes tell most of them apart without reading the letters. The key's and
    /// skeleton's are their index keys.
    text_hash: u64,
    key_hash: u64,
    skeleton_hash: u64,
    /// One bit per letter of the key and of the skeleton (its code modulo 64): one edit
    /// changes at most two bits, so two spellings whose letters differ in more bits than
    /// twice the edits allowed need no edit distance.
    key_letters: u64,
    skeleton_letters: u64,
    /// Where between the skeleton's consonants the word writes a vowel (bit n: after the
    /// first n consonants); Arabic script writes only its long vowels.
    vowels: u32,
    script: Script,
    /// The key's first letter, with y, j and i as one (see `initial`).
    initial: Option<u8>,
    pub weight: u32,
    pub patronymic: bool,
    /// The key with every j read as y, when it has a j (Latin or Cyrillic): transliterations
    /// write one sound either way ("Yusuf", "Jusuf"; "Sayyed", "Sajjed").
    key_as_y: Option<u64>,
    /// For a Latin or Cyrillic word, its skeleton as Arabic script would write it, when that
    /// differs: a v inside dropped (Arabic writes it with the letter it also uses for o and u:
    /// "Mousavi", موسوی), "sh" as two letters (Ishaq) and French "ch" as ش.
    arabic_view: Option<u64>,
    /// For an Arabic-script word, its skeleton as regional Latin spellings read some letters
    /// (ث as s, ق as g ...).
    regional: Option<u64>,
    /// For a Latin word with a w after its first letter, its skeleton with that w read as
    /// v, as Cyrillic writes it (Crawford, Кравфорд; Murwanashyaka, Мурванашяка).
    w_as_v: Option<u64>,
    /// The skeleton with (Arabic) or without (Latin "Albaghdadi") an article joined to it,
    /// and whether it is long enough (two consonants) to match a skeleton by itself.
    article_variant: Option<(u64, bool)>,
    groups: SmallVec<[u32; 4]>,
    pub text: Box<str>,
    key: Box<str>,
    skeleton: Box<str>,
}

/// How one query word matched one entry word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordMatch {
    pub similarity: u16,
    pub how: MatchKind,
}

/// The words of a name, analysed, at most `MAX_WORDS`.
pub fn words_of(name: &str, dictionary: Option<&NameDictionary>) -> Vec<Word> {
    let mut words: Vec<Word> = name_tokens(prefix(name, MAX_NAME_CHARS))
        .into_iter()
        .take(MAX_WORDS)
        .map(|token| Word::analyse(capped(token), dictionary))
        .collect();
    // A name made only of function words ("د") is still a name: they weigh as short words.
    if words.iter().all(|word| word.weight == 0) {
        words
            .iter_mut()
            .for_each(|word| word.weight = FUNCTION_WORD_ALONE);
    }
    words
}

/// The first `max_chars` characters of `text`.
fn prefix(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The token with its spelling and its Latin reading cut to `MAX_WORD_CHARS` characters.
fn capped(mut token: NameToken) -> NameToken {
    let text_len = prefix(&token.text, MAX_WORD_CHARS).len();
    token.text.truncate(text_len);
    let key_len = prefix(&token.key, MAX_WORD_CHARS).len();
    token.key.truncate(key_len);
    token
}

/// The weight of a function word in a name that has nothing else.
const FUNCTION_WORD_ALONE: u32 = 30;

impl Word {
    fn analyse(token: NameToken, dictionary: Option<&NameDictionary>) -> Word {
        let (skeleton, vowels) = match token.script {
            Script::Latin | Script::Cyrillic => latin_reading(&token.key),
            Script::Arabic => arabic_reading(&token.text),
            Script::Other => (String::new(), 0),
        };
        let skeleton_hash = |skeleton: &str| hash(TAG_SKELETON, skeleton);
        let article_variant = article_variant(&token, &skeleton)
            .map(|variant| (skeleton_hash(&variant), variant.len() >= 2));
        let arabic_view = arabic_view(&token, &skeleton).map(|view| skeleton_hash(&view));
        let w_as_v = (token.script == Script::Latin
            && token.key.get(1..).is_some_and(|rest| rest.contains('w')))
        .then(|| skeleton_hash(&latin_skeleton(&token.key.replace('w', "v"))));
        let regional = match token.script {
            Script::Arabic => arabic_regional_skeleton(&token.text).map(|r| skeleton_hash(&r)),
            _ => None,
        };
        let groups = dictionary.map(|d| groups_of(&token, d)).unwrap_or_default();
        let weight = weight_of(&token, &skeleton);
        let key_as_y = (token.has_latin_reading() && token.key.contains('j'))
            .then(|| hash(TAG_KEY, &token.key.replace('j', "y")));
        Word {
            text_hash: hash(TAG_TEXT, &token.text),
            key_hash: hash(TAG_KEY, &token.key),
            skeleton_hash: skeleton_hash(&skeleton),
            group_bits: groups
                .iter()
                .fold(0, |bits, group| bits | 1 << (group % 128)),
            key_letters: letter_bits(&token.key),
            skeleton_letters: letter_bits(&skeleton),
            vowels,
            weight,
            script: token.script,
            patronymic: is_patronymic(&token.key),
            initial: initial(&token.key),
            key_as_y,
            arabic_view,
            regional,
            w_as_v,
            article_variant,
            groups,
            text: token.text.into(),
            key: token.key.into(),
            skeleton: skeleton.into(),
        }
    }

    /// The keys this word is indexed under and looked up by.
    pub fn index_keys(&self, keys: &mut Vec<u64>) {
        self.reading_keys(keys);
        self.deletion_keys(keys);
    }

    /// The keys of the word's own readings: its spelling, skeletons and dictionary groups.
    pub fn reading_keys(&self, keys: &mut Vec<u64>) {
        keys.push(self.key_hash);
        keys.extend(self.key_as_y);
        if !self.skeleton.is_empty() {
            keys.push(self.skeleton_hash);
        }
        keys.extend(self.article_variant.map(|(variant, _)| variant));
        keys.extend(self.arabic_view);
        keys.extend(self.w_as_v);
        keys.extend(self.regional);
        keys.extend(
            self.groups
                .iter()
                .map(|group| xxh3_64_with_seed(&group.to_le_bytes(), TAG_GROUP)),
        );
    }

    /// The keys of the skeleton with one consonant left out: they find slips of the pen.
    pub fn deletion_keys(&self, keys: &mut Vec<u64>) {
        push_deletions(&self.skeleton, keys);
    }

    /// How well this (query) word matches an entry word, best reading first.
    pub fn compare(&self, entry: &Word) -> Option<WordMatch> {
        if self.text_hash == entry.text_hash && self.text == entry.text {
            return Some(found(1000, MatchKind::Exact));
        }
        let same_key = self.key_hash == entry.key_hash && self.key == entry.key;
        if same_key && self.script != Script::Other {
            return Some(found(960, MatchKind::Transliteration));
        }
        if let Some(group) = self.shared_group(entry) {
            let similarity = if self.is_single_character() || entry.is_single_character() {
                SINGLE_CHARACTER_READING
            } else {
                950
            };
            return Some(found(similarity, MatchKind::Dictionary { group }));
        }
        if (self.key_as_y.is_some() || entry.key_as_y.is_some())
            && self.key_read_as_y() == entry.key_read_as_y()
        {
            return Some(found(900, MatchKind::Phonetic));
        }
        self.compare_skeletons(entry)
            .or_else(|| self.compare_spelling(entry))
    }

    fn shared_group(&self, entry: &Word) -> Option<u32> {
        if self.group_bits & entry.group_bits == 0 {
            return None;
        }
        shared_group(&self.groups, &entry.groups)
    }

    fn key_read_as_y(&self) -> u64 {
        self.key_as_y.unwrap_or(self.key_hash)
    }

    fn compare_skeletons(&self, entry: &Word) -> Option<WordMatch> {
        if self.skeleton.is_empty() {
            return None;
        }
        let across_scripts = self.script != entry.script;
        let kind = if across_scripts {
            MatchKind::Transliteration
        } else {
            MatchKind::Phonetic
        };
        if self.skeleton_hash == entry.skeleton_hash && self.skeleton == entry.skeleton {
            return Some(found(self.same_skeleton_similarity(entry), kind));
        }
        let w_read_as_v = |latin: &Word, cyrillic: &Word| {
            cyrillic.script == Script::Cyrillic && latin.w_as_v == Some(cyrillic.skeleton_hash)
        };
        if w_read_as_v(self, entry) || w_read_as_v(entry, self) {
            return Some(found(880, kind));
        }
        let variant_matches =
            |a: &Word, b: &Word| a.article_variant == Some((b.skeleton_hash, true));
        if variant_matches(self, entry) || variant_matches(entry, self) {
            return Some(found(880, kind));
        }
        let arabic_view_matches = |latin: &Word, arabic: &Word| {
            arabic.script == Script::Arabic
                && (latin.arabic_view == Some(arabic.skeleton_hash)
                    || arabic.regional == Some(latin.skeleton_hash))
        };
        if arabic_view_matches(self, entry) || arabic_view_matches(entry, self) {
            return Some(found(
                unvowelled_similarity(self.skeleton.len(), Vowels::Unwritten),
                kind,
            ));
        }
        None
    }

    /// Two spellings of one skeleton: close when they also write their vowels alike, in
    /// letters (Jaro-Winkler) or, across Latin and Cyrillic, whose conventions spell one
    /// consonant in different letters, in places (Jung, Джунг); or when Arabic script's
    /// long vowels agree with the other spelling's.
    fn same_skeleton_similarity(&self, entry: &Word) -> u16 {
        if !(self.has_vowels() && entry.has_vowels()) {
            return unvowelled_similarity(self.skeleton.len(), self.vowel_agreement(entry));
        }
        let vowels_in_place = self.script != entry.script && self.vowels == entry.vowels;
        if vowels_in_place || jaro_winkler(&self.key, &entry.key) >= 0.8 {
            900
        } else {
            800
        }
    }

    /// A slip of the pen: Latin spellings within an edit or two, or one consonant apart when
    /// one side is Arabic script.
    fn compare_spelling(&self, entry: &Word) -> Option<WordMatch> {
        if self.script == Script::Other || entry.script == Script::Other {
            return None;
        }
        if self.has_vowels() && entry.has_vowels() {
            let (own, other) = (self.key.len(), entry.key.len());
            // A slip of the pen keeps the length and, nearly always, the first letter.
            if own.abs_diff(other) > 2
                || self.initial != entry.initial
                || too_many_letters_apart(self.key_letters, entry.key_letters, 2)
            {
                return None;
            }
            let len = self.key.chars().count().max(entry.key.chars().count());
            let distance = slips_between(&self.key, &entry.key, 2)?;
            let similarity = match (distance, len) {
                (1, 6..) => 880,
                (1, 4..) => 850,
                (2, 8..) => 800,
                _ => return None,
            };
            return Some(found(
                similarity,
                MatchKind::EditDistance {
                    distance: u8::try_from(distance).unwrap_or(u8::MAX),
                },
            ));
        }
        let len = self.skeleton.len().max(entry.skeleton.len());
        if len >= DELETION_MIN_LEN
            && self.skeleton.len().abs_diff(entry.skeleton.len()) <= 1
            && !too_many_letters_apart(self.skeleton_letters, entry.skeleton_letters, 1)
            && slips_between(&self.skeleton, &entry.skeleton, 1) == Some(1)
        {
            return Some(found(820, MatchKind::EditDistance { distance: 1 }));
        }
        None
    }

    /// Whether the long vowels an Arabic-script word writes stand where the other word,
    /// written with its vowels, has vowels too.
    fn vowel_agreement(&self, other: &Word) -> Vowels {
        let (arabic, voweled) = match (self.script, other.script) {
            (Script::Arabic, _) if other.has_vowels() => (self, other),
            (_, Script::Arabic) if self.has_vowels() => (other, self),
            _ => return Vowels::Unwritten,
        };
        if arabic.vowels == 0 {
            Vowels::Unwritten
        } else if arabic.vowels & !voweled.vowels == 0 {
            Vowels::Agree
        } else {
            Vowels::Disagree
        }
    }

    /// One Han character is a syllable that the dictionary links to many romanisations of
    /// Chinese and Korean names alike (成 to Cheng and Song).
    fn is_single_character(&self) -> bool {
        self.script == Script::Other && self.text.chars().count() == 1
    }

    /// Latin and Cyrillic words are written with their vowels; Arabic-script words are not.
    fn has_vowels(&self) -> bool {
        matches!(self.script, Script::Latin | Script::Cyrillic)
    }

    /// A word the query left out costs a quarter when it sits between other words or is a
    /// patronymic, and the name matched on at least two words.
    pub fn is_optional(&self, position: usize, count: usize) -> bool {
        self.patronymic || (position > 0 && position + 1 < count)
    }
}

/// What an Arabic-script word's long vowels say about a reading of it with vowels.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Vowels {
    /// No long vowel is written, or neither word is in Arabic script.
    Unwritten,
    /// Every long vowel stands where the other word has a vowel (قاعده, Qaida).
    Agree,
    /// A long vowel stands where the other word has none (اراد, Rida).
    Disagree,
}

/// Without written vowels, a skeleton of two or three consonants is shared by many names
/// ("rd" is Rida, Arad, Reda, Rod): only longer skeletons are strong evidence, unless the
/// long vowels Arabic does write agree with the other spelling's.
fn unvowelled_similarity(consonants: usize, vowels: Vowels) -> u16 {
    match (consonants, vowels) {
        (0..=2, Vowels::Disagree) => 750,
        (0..=2, Vowels::Unwritten) | (3, Vowels::Disagree) => 800,
        (0..=2, Vowels::Agree) | (3, Vowels::Unwritten) | (_, Vowels::Disagree) => 860,
        _ => 900,
    }
}

/// A slip of the pen keeps the first letter, but y, j and i open the same names in
/// different transliterations (Yabari, Jabari): they are one initial.
fn initial(key: &str) -> Option<u8> {
    match key.as_bytes().first() {
        Some(b'y' | b'j' | b'i') => Some(b'j'),
        other => other.copied(),
    }
}

/// The optimal-string-alignment distance between two spellings when it is at most `most`:
/// a bounded, bit-parallel count that gives up early, since most pairs compared are not
/// slips of the pen at all.
fn slips_between(a: &str, b: &str, most: usize) -> Option<usize> {
    osa::distance_with_args(
        a.chars(),
        b.chars(),
        &osa::Args::default().score_cutoff(most),
    )
}

/// The letters of a spelling as bits, each letter's code modulo 64.
fn letter_bits(spelling: &str) -> u64 {
    spelling
        .chars()
        .fold(0, |bits, letter| bits | 1 << (u32::from(letter) % 64))
}

/// Whether two spellings' letters differ too much for `edits` edits to turn one into the
/// other: a substitution changes at most two of the bits, an insertion or deletion one.
fn too_many_letters_apart(a: u64, b: u64, edits: u32) -> bool {
    (a ^ b).count_ones() > 2 * edits
}

fn found(similarity: u16, how: MatchKind) -> WordMatch {
    WordMatch { similarity, how }
}

fn article_variant(token: &NameToken, skeleton: &str) -> Option<String> {
    if token.script == Script::Arabic && token.had_article {
        return Some(if skeleton.starts_with('l') {
            skeleton.to_owned()
        } else {
            format!("l{skeleton}")
        });
    }
    let noun = token
        .key
        .strip_prefix("al")
        .or_else(|| token.key.strip_prefix("el"))?;
    (token.has_latin_reading() && noun.len() >= 3).then(|| latin_skeleton(noun))
}

fn arabic_view(token: &NameToken, skeleton: &str) -> Option<String> {
    if !token.has_latin_reading() {
        return None;
    }
    let read = latin_skeleton_as_arabic(&token.key);
    if read == skeleton && !skeleton.chars().skip(1).any(|letter| letter == 'v') {
        return None;
    }
    let mut view = String::with_capacity(read.len());
    for (index, letter) in read.char_indices() {
        if (index == 0 || letter != 'v') && !view.ends_with(letter) {
            view.push(letter);
        }
    }
    Some(view)
}

/// The first group two sorted group lists share, in one pass over both.
fn shared_group(a: &[u32], b: &[u32]) -> Option<u32> {
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        match x.cmp(y) {
            std::cmp::Ordering::Equal => return Some(**x),
            std::cmp::Ordering::Less => {
                a.next();
            }
            std::cmp::Ordering::Greater => {
                b.next();
            }
        }
    }
    None
}

fn groups_of(token: &NameToken, dictionary: &NameDictionary) -> SmallVec<[u32; 4]> {
    let mut groups: SmallVec<[u32; 4]> = dictionary.groups(&token.text).iter().copied().collect();
    if token.key != token.text {
        groups.extend(dictionary.groups(&token.key).iter().copied());
    }
    groups.sort_unstable();
    groups.dedup();
    groups.truncate(MAX_GROUPS);
    groups
}

/// Initials, two-letter words and words that describe a trade say little about who is meant;
/// "of" and "and" nothing.
fn weight_of(token: &NameToken, skeleton: &str) -> u32 {
    if token.script == Script::Other {
        return 100;
    }
    if is_function_word(token) {
        return 0;
    }
    if is_descriptive(token, skeleton) {
        return 30;
    }
    match token.text.chars().count() {
        1 => 30,
        2 => 60,
        3 => 80,
        _ => 100,
    }
}

fn push_deletions(skeleton: &str, keys: &mut Vec<u64>) {
    let letters: Vec<char> = skeleton.chars().collect();
    if letters.len() < DELETION_MIN_LEN {
        return;
    }
    let mut shorter = String::with_capacity(skeleton.len());
    for left_out in 0..letters.len() {
        shorter.clear();
        shorter.extend(
            letters
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != left_out)
                .map(|(_, c)| c),
        );
        keys.push(hash(TAG_SKELETON, &shorter));
    }
}

fn hash(tag: u64, text: &str) -> u64 {
    xxh3_64_with_seed(text.as_bytes(), tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fields_most_comparisons_read_fill_the_first_64_bytes() {
        let end_of_initial = std::mem::offset_of!(Word, initial) + size_of::<Option<u8>>();
        assert!(end_of_initial <= 64, "ends at byte {end_of_initial}");
        assert_eq!(std::mem::offset_of!(Word, text_hash), 16);
    }

    proptest! {
        /// The letter filter may only skip pairs the edit distance would refuse.
        #[test]
        fn letter_filter_never_refuses_spellings_within_reach(
            a in "[a-zа-яا-ي]{0,12}",
            edits in proptest::collection::vec((0usize..14, 0u8..4, "[a-zа-я]"), 0..3),
        ) {
            let mut letters: Vec<char> = a.chars().collect();
            for (at, operation, letter) in &edits {
                let letter = letter.chars().next().unwrap_or('a');
                let at = at % (letters.len() + 1);
                match operation {
                    0 => letters.insert(at, letter),
                    1 if at < letters.len() => { letters.remove(at); }
                    2 if at < letters.len() => letters[at] = letter,
                    _ if at + 1 < letters.len() => letters.swap(at, at + 1),
                    _ => {}
                }
            }
            let b: String = letters.into_iter().collect();
            for most in 1..=2 {
                if let Some(distance) = slips_between(&a, &b, most) {
                    let apart = too_many_letters_apart(letter_bits(&a), letter_bits(&b), most as u32);
                    prop_assert!(!apart, "{a} and {b}: {distance} edits, filtered at {most}");
                }
            }
        }
    }
}
