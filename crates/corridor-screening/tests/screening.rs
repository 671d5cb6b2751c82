//! Screening behaviour end to end: names across scripts, legal forms, order and middle names,
//! secondary data, weak aliases, and the invariants every screening keeps.

use std::sync::Arc;

use corridor_screening::{
    Candidate, EntryName, ListEntry, MatchKind, NameDictionary, NameQuality, PartialDate, Party,
    PartyKind, Screener, SecondaryEvidence, Threshold, TokenMatch,
};
use proptest::prelude::*;

const DICTIONARY: &str = "\
mohammad, mohammed, muhammad, muhammed, мухаммед, мохаммад, محمد => Q1
hossein, hussein, husein, хусейн, حسین => Q2
abdullah, abdallah, абдулла, عبدالله => Q3
mousavi, musavi, мусави, موسوی => Q4
";

fn person(id: &str, names: &[(&str, NameQuality)]) -> ListEntry {
    ListEntry {
        id: id.to_owned(),
        kind: PartyKind::Person,
        names: names
            .iter()
            .map(|(text, quality)| EntryName {
                text: (*text).to_owned(),
                quality: *quality,
            })
            .collect(),
        dates_of_birth: Vec::new(),
        countries: Vec::new(),
        identifiers: Vec::new(),
    }
}

fn primary(id: &str, name: &str) -> ListEntry {
    person(id, &[(name, NameQuality::Primary)])
}

fn organisation(id: &str, name: &str) -> ListEntry {
    ListEntry {
        kind: PartyKind::Organisation,
        ..primary(id, name)
    }
}

fn screener(entries: Vec<ListEntry>, dictionary: bool) -> Screener {
    let dictionary = dictionary.then(|| Arc::new(NameDictionary::parse(DICTIONARY).unwrap()));
    Screener::build(
        entries.into_iter().map(|entry| ("test".to_owned(), entry)),
        dictionary,
    )
}

fn named(name: &str) -> Party {
    Party {
        name: name.to_owned(),
        ..Party::default()
    }
}

fn best(screener: &Screener, party: &Party, entry_id: &str) -> Option<Candidate> {
    screener
        .screen(party)
        .into_iter()
        .find(|candidate| candidate.entry_id == entry_id)
}

fn score(screener: &Screener, name: &str, entry_id: &str) -> u16 {
    best(screener, &named(name), entry_id).map_or(0, |candidate| candidate.score)
}

fn is_hit(screener: &Screener, name: &str, entry_id: &str) -> bool {
    best(screener, &named(name), entry_id).is_some_and(|c| c.is_hit(Threshold::DEFAULT))
}

const MOHAMMAD: [&str; 5] = [
    "Mohammad Rahimi",
    "Muhammad Rahimi",
    "Mohammed Rahimi",
    "Мухаммед Рахими",
    "محمد رحیمی",
];

#[test]
fn five_mohammad_spellings_match_each_other_with_the_dictionary() {
    for listed in MOHAMMAD {
        let screener = screener(vec![primary("1", listed)], true);
        for screened in MOHAMMAD {
            assert!(
                is_hit(&screener, screened, "1"),
                "{screened} against {listed}: {}",
                score(&screener, screened, "1")
            );
        }
    }
}

#[test]
fn five_mohammad_spellings_match_each_other_without_the_dictionary() {
    for listed in MOHAMMAD {
        let screener = screener(vec![primary("1", listed)], false);
        assert!(!screener.has_dictionary());
        for screened in MOHAMMAD {
            assert!(
                is_hit(&screener, screened, "1"),
                "{screened} against {listed}: {}",
                score(&screener, screened, "1")
            );
        }
    }
}

#[test]
fn dictionary_match_is_explained_as_such() {
    let screener = screener(vec![primary("1", "Muhammad Rahimi")], true);
    let candidate = best(&screener, &named("محمد Rahimi"), "1").unwrap();
    assert!(matches!(
        candidate.explanation[0],
        TokenMatch::Matched {
            how: MatchKind::Dictionary { .. },
            ..
        }
    ));
}

#[test]
fn cyrillic_spellings_match_latin_entries() {
    let screener = screener(
        vec![
            primary("1", "Abdullah Khusainov"),
            primary("2", "Hussein Kamal"),
        ],
        false,
    );
    assert!(is_hit(&screener, "Абдулла Хусаинов", "1"));
    assert!(is_hit(&screener, "Хусейн Камал", "2"));
}

#[test]
fn persian_spellings_match_latin_entries() {
    let without_dictionary = screener(vec![primary("2", "Hossein Mousavi")], false);
    let screener = screener(
        vec![
            primary("1", "Abdullah Karimi"),
            primary("2", "Hossein Mousavi"),
        ],
        true,
    );
    assert!(is_hit(&screener, "عبدالله کریمی", "1"));
    assert!(is_hit(&screener, "حسین موسوی", "2"));
    assert!(is_hit(&screener, "Hussein Mousavi", "2"));
    // Two consonants (موسوی reads "ms") are weak evidence alone: a candidate for review.
    assert!(score(&without_dictionary, "حسین موسوی", "2") >= 700);
}

#[test]
fn persian_and_arabic_letter_variants_match() {
    let screener = screener(vec![primary("1", "حسين كريمي")], false);
    let candidate = best(&screener, &named("حسین کریمی"), "1").unwrap();
    assert_eq!(candidate.score, 1000);
}

#[test]
fn lookalike_letters_do_not_hide_a_name() {
    let screener = screener(vec![organisation("1", "Al Qaida")], false);
    assert_eq!(score(&screener, "\u{0410}l-Q\u{0430}ida", "1"), 1000);
}

#[test]
fn zero_width_characters_do_not_hide_a_name() {
    let screener = screener(vec![primary("1", "Osama Bin Laden")], false);
    assert_eq!(
        score(&screener, "Osa\u{200B}ma bin La\u{200D}den", "1"),
        1000
    );
}

#[test]
fn article_spellings_match() {
    let screener = screener(vec![organisation("1", "Al-Qaida")], false);
    assert_eq!(score(&screener, "Al Qaida", "1"), 1000);
    assert!(is_hit(&screener, "Alqaida", "1"));
    // Two consonants without written vowels are weak evidence: a candidate for review, not a hit.
    assert!(score(&screener, "القاعدة", "1") >= 700);
}

#[test]
fn abd_compounds_match_across_spellings() {
    let screener = screener(vec![primary("1", "Abd al-Rahman Yasin")], false);
    for spelling in [
        "Abdul Rahman Yasin",
        "Abdurrahman Yasin",
        "Abdelrahman Yasin",
        "عبد الرحمن یاسین",
        "عبدالرحمن یاسین",
    ] {
        assert!(is_hit(&screener, spelling, "1"), "{spelling}");
    }
}

#[test]
fn a_mistyped_abd_still_joins_its_noun() {
    let screener = screener(vec![primary("1", "Ahmad Taha Khalid Abdul Qadir")], false);
    for slip in [
        "Ahmad Taha Khalid Ubdul Qadir",
        "Ahmad Taha Khalid Abbdul Qadir",
        "Ahmad Taha Khalid Ebdulqadir",
    ] {
        assert!(is_hit(&screener, slip, "1"), "{slip}");
    }
}

#[test]
fn j_and_y_spell_one_sound() {
    let screener = screener(
        vec![primary("1", "Mohammad Yaqoub"), primary("2", "Janan Agha")],
        false,
    );
    assert!(is_hit(&screener, "Mohammad Jaqoub", "1"));
    assert!(is_hit(&screener, "Yanan Agha", "2"));
}

#[test]
fn cyrillic_dh_and_ph_read_as_the_latin_digraphs() {
    let screener = screener(
        vec![
            primary("1", "Mutassim Qadhafi"),
            primary("2", "Joseph Kony"),
        ],
        false,
    );
    assert!(is_hit(&screener, "мутассим кадхафи", "1"));
    assert!(is_hit(&screener, "джосепх конй", "2"));
}

#[test]
fn a_descriptive_word_left_out_of_an_organisation_costs_little() {
    let screener = screener(
        vec![organisation("1", "Korea Ryonbong General Corporation")],
        false,
    );
    assert!(is_hit(&screener, "Korea Ryonbong Corporation", "1"));
    assert!(is_hit(&screener, "кореа рйонбонг генерал корпоратион", "1"));
    assert!(!is_hit(&screener, "General Trading Corporation", "1"));
}

#[test]
fn legal_forms_and_scripts_do_not_separate_an_organisation() {
    let screener = screener(vec![organisation("1", "ООО Ромашка")], false);
    assert!(is_hit(&screener, "Romashka LLC", "1"));
}

#[test]
fn titles_do_not_separate_a_person() {
    let screener = screener(vec![primary("1", "Ayman al-Zawahiri")], false);
    assert_eq!(score(&screener, "Dr. Ayman Zawahiri", "1"), 1000);
}

#[test]
fn word_order_is_free() {
    let screener = screener(vec![primary("1", "Vladimir Putin")], false);
    assert_eq!(score(&screener, "PUTIN, Vladimir", "1"), 1000);
}

#[test]
fn missing_patronymic_costs_little() {
    let screener = screener(vec![primary("1", "Vladimir Vladimirovich Putin")], false);
    assert!(score(&screener, "Vladimir Putin", "1") >= 900);
    assert!(is_hit(&screener, "Владимир Путин", "1"));
}

#[test]
fn missing_middle_name_costs_little() {
    let screener = screener(
        vec![primary("1", "Usama bin Muhammad bin Awad bin Ladin")],
        false,
    );
    assert!(is_hit(&screener, "Usama bin Ladin", "1"));
}

#[test]
fn one_slip_of_the_pen_still_matches() {
    let screener = screener(vec![primary("1", "Vladimir Zhirinovsky")], false);
    let candidate = best(&screener, &named("Vladimir Zhirinofsky"), "1").unwrap();
    assert!(candidate.is_hit(Threshold::DEFAULT));
    assert!(candidate.explanation.iter().any(|line| matches!(
        line,
        TokenMatch::Matched {
            how: MatchKind::EditDistance { distance: 1 },
            ..
        }
    )));
}

#[test]
fn a_single_common_word_is_not_a_hit() {
    let screener = screener(vec![primary("1", "Mohammed Omar")], true);
    assert!(!is_hit(&screener, "Mohammed", "1"));
    assert!(!is_hit(&screener, "Mohammed Smith", "1"));
}

#[test]
fn unrelated_names_are_not_candidates() {
    let screener = screener(vec![primary("1", "Vladimir Putin")], true);
    assert!(screener.screen(&named("Patricia Lucas Wheeler")).is_empty());
}

#[test]
fn weak_alias_alone_is_not_a_hit() {
    let entry = person(
        "1",
        &[
            ("Abdul Karim Tunda", NameQuality::Primary),
            ("Abu Bakr", NameQuality::WeakAlias),
        ],
    );
    let screener = screener(vec![entry], false);
    let candidate = best(&screener, &named("Abu Bakr"), "1").unwrap();
    assert_eq!(candidate.name_quality, NameQuality::WeakAlias);
    assert!(!candidate.is_hit(Threshold::DEFAULT));
}

#[test]
fn strong_alias_is_a_hit() {
    let entry = person(
        "1",
        &[
            ("Abdul Karim Tunda", NameQuality::Primary),
            ("Abdul Karim Tunda Sahib", NameQuality::StrongAlias),
        ],
    );
    let screener = screener(vec![entry], false);
    let candidate = best(&screener, &named("Sahib Abdul Karim Tunda"), "1").unwrap();
    assert_eq!(candidate.name_quality, NameQuality::StrongAlias);
    assert!(candidate.is_hit(Threshold::DEFAULT));
}

fn dated(name: &str, year: u16) -> ListEntry {
    ListEntry {
        dates_of_birth: vec![PartialDate {
            year,
            month: Some(3),
            day: Some(4),
        }],
        countries: vec!["IQ".to_owned()],
        ..primary("1", name)
    }
}

fn born(name: &str, year: u16, country: &str) -> Party {
    Party {
        date_of_birth: Some(PartialDate {
            year,
            month: None,
            day: None,
        }),
        country: Some(country.to_owned()),
        ..named(name)
    }
}

#[test]
fn agreeing_date_and_country_raise_the_score() {
    let screener = screener(vec![dated("Hussein Kamal Majid", 1954)], false);
    let plain = score(&screener, "Husein Kamal Majid", "1");
    let candidate = best(&screener, &born("Husein Kamal Majid", 1954, "IQ"), "1").unwrap();
    assert!(candidate.score > plain);
    assert!(
        candidate
            .secondary
            .iter()
            .any(|e| matches!(e, SecondaryEvidence::DateOfBirthAgrees { .. }))
    );
    assert!(
        candidate
            .secondary
            .iter()
            .any(|e| matches!(e, SecondaryEvidence::CountryAgrees { .. }))
    );
}

#[test]
fn contrary_date_and_country_lower_a_close_match() {
    let screener = screener(vec![dated("Hussein Kamal Majid", 1954)], false);
    let plain = score(&screener, "Husein Kamal Majid", "1");
    let contrary =
        best(&screener, &born("Husein Kamal Majid", 1990, "FR"), "1").map_or(0, |c| c.score);
    assert!(contrary < plain);
}

#[test]
fn contrary_data_never_pushes_an_exact_name_below_the_threshold() {
    let screener = screener(vec![dated("Hussein Kamal Majid", 1954)], false);
    let candidate = best(&screener, &born("Hussein Kamal Majid", 1990, "FR"), "1").unwrap();
    assert!(candidate.is_hit(Threshold::DEFAULT));
    assert_eq!(candidate.score, Threshold::DEFAULT.per_mille());
}

#[test]
fn a_date_one_year_apart_is_no_evidence() {
    let screener = screener(vec![dated("Hussein Kamal Majid", 1954)], false);
    let candidate = best(&screener, &born("Hussein Kamal Majid", 1955, "IQ"), "1").unwrap();
    assert!(
        !candidate
            .secondary
            .iter()
            .any(|e| matches!(e, SecondaryEvidence::DateOfBirthDisagrees { .. }))
    );
}

#[test]
fn kind_mismatch_lowers_the_score() {
    let screener = screener(vec![organisation("1", "Kamal Trading")], false);
    let party = Party {
        kind: Some(PartyKind::Person),
        ..named("Kamal Trading")
    };
    let candidate = best(&screener, &party, "1").unwrap();
    assert!(!candidate.is_hit(Threshold::DEFAULT));
}

#[test]
fn a_date_of_birth_marks_the_party_as_a_person() {
    let screener = screener(vec![organisation("1", "Tehran Kermani Cement")], false);
    let party = Party {
        date_of_birth: Some(PartialDate {
            year: 1980,
            month: None,
            day: None,
        }),
        ..named("Tehran Kermany Cement")
    };
    let candidate = best(&screener, &party, "1").unwrap();
    assert!(!candidate.is_hit(Threshold::DEFAULT));
    assert!(candidate.secondary.iter().any(|e| matches!(
        e,
        SecondaryEvidence::KindDisagrees {
            screened: PartyKind::Person,
            ..
        }
    )));
}

#[test]
fn a_date_of_birth_never_hides_an_exact_organisation_name() {
    let screener = screener(vec![organisation("1", "Kamal Trading")], false);
    let party = Party {
        date_of_birth: Some(PartialDate {
            year: 1980,
            month: None,
            day: None,
        }),
        ..named("Kamal Trading")
    };
    assert!(
        best(&screener, &party, "1")
            .unwrap()
            .is_hit(Threshold::DEFAULT)
    );
}

#[test]
fn a_contrary_date_of_birth_takes_a_reading_below_the_threshold() {
    let screener = screener(vec![dated("Mohammad Rahimi", 1954)], true);
    assert!(is_hit(&screener, "Muhammed Rahimi", "1"));
    let contrary = best(&screener, &born("Muhammed Rahimi", 1990, "IR"), "1").unwrap();
    assert!(!contrary.is_hit(Threshold::DEFAULT));
}

#[test]
fn single_han_characters_alone_are_weak_dictionary_evidence() {
    let dictionary = "成, song, cheng => Q9\n雪梅, xuemei => Q10\nban, 斌 => Q11\n";
    let dictionary = Arc::new(NameDictionary::parse(dictionary).unwrap());
    let screener = Screener::build(
        [("test".to_owned(), primary("1", "Song Ban"))],
        Some(dictionary),
    );
    assert!(!is_hit(&screener, "成 雪梅 斌", "1"));
}

#[test]
fn persian_ullah_and_uddin_names_match_joined_latin_spellings() {
    let screener = screener(
        vec![
            primary("1", "HABIBULLAH RESHAD"),
            primary("2", "JALALUDDIN HAQQANI"),
            primary("3", "AHMAD JAN AKHUNDZADA"),
        ],
        false,
    );
    assert!(is_hit(&screener, "حبیب الله رشاد", "1"));
    assert!(is_hit(&screener, "جلال الدين حقانى", "2"));
    assert!(is_hit(&screener, "احمد جان آخوند زاده", "3"));
}

#[test]
fn a_short_arabic_word_whose_long_vowels_agree_is_a_hit() {
    let screener = screener(vec![organisation("1", "AL-QAIDA")], false);
    assert!(is_hit(&screener, "القاعدة", "1"));
}

#[test]
fn a_short_arabic_word_whose_long_vowels_disagree_is_not_a_hit() {
    let screener = screener(vec![primary("1", "Rida Mansour")], false);
    assert!(is_hit(&screener, "رضا منصور", "1"));
    assert!(!is_hit(&screener, "اراد منصور", "1"));
}

#[test]
fn initial_y_and_j_are_one_slip_apart() {
    let screener = screener(vec![primary("1", "Mohammad Jalalmaab")], false);
    assert!(is_hit(&screener, "Mohammad Yalalmaab", "1"));
}

#[test]
fn afghan_spellings_of_arabic_letters_match() {
    let screener = screener(vec![primary("1", "NOOR MOHAMMAD SAQIB")], true);
    assert!(is_hit(&screener, "نور محمد ثاقب", "1"));
}

#[test]
fn latin_sh_written_as_two_arabic_letters_matches() {
    let screener = screener(vec![primary("1", "ABDUL MANAN MOHAMMAD ISHAK")], false);
    assert!(is_hit(&screener, "عبدالمنان محمد اسحاق", "1"));
}

#[test]
fn shared_identifier_raises_the_score() {
    let entry = ListEntry {
        identifiers: vec!["A1234567".to_owned()],
        ..primary("1", "Husein Kamal")
    };
    let screener = screener(vec![entry], false);
    let party = Party {
        identifiers: vec!["a-123 4567".to_owned()],
        ..named("Hussein Kamaal")
    };
    let candidate = best(&screener, &party, "1").unwrap();
    assert!(
        candidate
            .secondary
            .iter()
            .any(|e| matches!(e, SecondaryEvidence::IdentifierAgrees { .. }))
    );
}

#[test]
fn a_lower_threshold_is_honoured() {
    let threshold = Threshold::new(700).unwrap();
    let screener = screener(vec![primary("1", "Mohammed Omar")], false).with_threshold(threshold);
    assert_eq!(screener.threshold(), threshold);
    assert!(Threshold::new(1001).is_err());
}

#[test]
fn explanation_names_the_missing_words() {
    let screener = screener(vec![primary("1", "Vladimir Vladimirovich Putin")], false);
    let candidate = best(&screener, &named("Vladimir Putin"), "1").unwrap();
    assert!(
        candidate
            .explanation
            .contains(&TokenMatch::EntryWordMissing {
                entry: "vladimirovich".to_owned(),
                optional: true
            })
    );
    let text = candidate.explain();
    assert!(text.contains("vladimirovich"), "{text}");
}

#[test]
fn candidates_are_sorted_best_first() {
    let screener = screener(
        vec![
            primary("1", "Vladimir Putin"),
            primary("2", "Vladimir Vladimirovich Putin"),
        ],
        false,
    );
    let candidates = screener.screen(&named("Vladimir Putin"));
    assert_eq!(candidates[0].entry_id, "1");
    assert!(
        candidates
            .windows(2)
            .all(|pair| pair[0].score >= pair[1].score)
    );
}

#[test]
fn malformed_dictionary_is_refused() {
    assert!(NameDictionary::parse("mohammad, محمد\n").is_err());
}

fn entry_strategy() -> impl Strategy<Value = ListEntry> {
    ("[a-zA-Zа-яА-Я ء-ي-]{1,30}", "[0-9]{1,6}").prop_map(|(name, id)| primary(&id, &name))
}

proptest! {
    #[test]
    fn screening_never_panics_and_scores_stay_per_mille(name in "\\PC{0,60}", listed in "\\PC{0,60}") {
        let screener = screener(vec![primary("1", &listed)], true);
        for candidate in screener.screen(&named(&name)) {
            prop_assert!(candidate.score <= 1000);
        }
    }

    #[test]
    fn an_entry_primary_name_scores_1000_against_itself(entry in entry_strategy()) {
        let name = entry.names[0].text.clone();
        let screener = screener(vec![entry], true);
        let nameless = corridor_screening::name_tokens(&name).is_empty();
        let candidates = screener.screen(&named(&name));
        prop_assert!(nameless || candidates.first().is_some_and(|c| c.score == 1000), "{candidates:?}");
    }

    #[test]
    fn unrelated_entries_never_change_a_score(
        entry in entry_strategy(),
        query in "[a-zA-Zа-яА-Я ء-ي]{1,30}",
        others in proptest::collection::vec(entry_strategy(), 0..20),
    ) {
        let alone = screener(vec![ListEntry { id: "target".to_owned(), ..entry.clone() }], true);
        let mut all: Vec<ListEntry> = others.into_iter().map(|o| ListEntry { id: format!("other-{}", o.id), ..o }).collect();
        all.push(ListEntry { id: "target".to_owned(), ..entry });
        let crowded = screener(all, true);
        let party = named(&query);
        prop_assert_eq!(best(&alone, &party, "target"), best(&crowded, &party, "target"));
    }
}
