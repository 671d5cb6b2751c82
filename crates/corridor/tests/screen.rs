//! `corridor screen` and `corridor bench screen` on small lists written here: what each
//! command prints, its counts and its refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const OWN_LIST: &str = "\
id,kind,name,aliases,dates_of_birth,countries,identifiers
P1,person,Viktor Petrovich Ivanov,Viktor Ivanov,1960-05-01,RU,
P2,person,Ahmad Shah Massoud,,1953,AF,
O1,organisation,Northern Star Shipping,,,,
";

const UN_LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2025-03-04T00:00:02.417Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>KARIM</FIRST_NAME>
      <SECOND_NAME>HASSAN</SECOND_NAME>
      <THIRD_NAME>AL-FARSI</THIRD_NAME>
      <REFERENCE_NUMBER>QDi.901</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>كريم حسن الفارسي</NAME_ORIGINAL_SCRIPT>
      <INDIVIDUAL_ALIAS>
        <QUALITY>Good</QUALITY>
        <ALIAS_NAME>Abu Karim al-Farsi</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>2</DATAID>
      <FIRST_NAME>YUSUF</FIRST_NAME>
      <SECOND_NAME>KHALIL</SECOND_NAME>
      <THIRD_NAME>MAHMOUD</THIRD_NAME>
      <FOURTH_NAME>OSMAN</FOURTH_NAME>
      <REFERENCE_NUMBER>QDi.902</REFERENCE_NUMBER>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>3</DATAID>
      <FIRST_NAME>SERGEI</FIRST_NAME>
      <SECOND_NAME>NIKOLAEVICH</SECOND_NAME>
      <THIRD_NAME>SHCHERBAKOV</THIRD_NAME>
      <REFERENCE_NUMBER>QDi.903</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>Сергей Николаевич Щербаков</NAME_ORIGINAL_SCRIPT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
"#;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("own.csv"), OWN_LIST).expect("write list");
        std::fs::write(dir.path().join("un.xml"), UN_LIST).expect("write list");
        Fixture { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }

    fn own_list(&self) -> String {
        format!("csv:{}", self.path("own.csv").display())
    }

    fn un_list(&self) -> String {
        format!("un:{}", self.path("un.xml").display())
    }
}

/// Runs `corridor` without reference data, so results do not depend on the machine.
fn corridor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("CORRIDOR_REFERENCE_DIR")
        .env_remove("CORRIDOR_UN_LIST")
        .env_remove("CORRIDOR_OFAC_LIST")
        .output()
        .expect("run corridor")
}

fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: not JSON: {text}"))
}

fn shown(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

#[test]
fn batch_prints_one_json_object_per_name_with_its_hit_flags() {
    let fixture = Fixture::new();
    let input = fixture.write("names.txt", "Viktor Ivanov\n\n   \nQuentin Zzyzx Blorp\n");
    let out = corridor(&[
        "screen",
        "batch",
        "--list",
        &fixture.own_list(),
        "--input",
        shown(&input),
    ]);
    let stdout = succeeded(&out);
    let lines: Vec<Value> = stdout.lines().map(json).collect();
    assert_eq!(lines.len(), 2, "blank lines are skipped: {stdout}");
    assert_eq!(lines[0]["query"], "Viktor Ivanov");
    let first = &lines[0]["matches"][0];
    assert_eq!(first["list_entry_id"], "P1", "{stdout}");
    assert_eq!(first["hit"], true, "{stdout}");
    assert!(
        first["score"].as_u64().is_some_and(|s| s >= 850),
        "{stdout}"
    );
    assert!(first["name"].is_string(), "{stdout}");
    assert_eq!(lines[1]["query"], "Quentin Zzyzx Blorp");
    let unrelated = lines[1]["matches"].as_array().expect("matches array");
    assert!(
        unrelated.iter().all(|m| m["hit"] == false),
        "an unrelated name raises no hit: {stdout}"
    );
}

#[test]
fn screening_one_name_explains_which_parts_matched() {
    let fixture = Fixture::new();
    let out = corridor(&[
        "screen",
        "Ivanov Viktor Petrovich",
        "--list",
        &fixture.own_list(),
    ]);
    let stdout = succeeded(&out);
    assert!(stdout.contains("HIT"), "{stdout}");
    assert!(stdout.contains("P1"), "{stdout}");
    let lower = stdout.to_lowercase();
    assert!(
        lower.contains("\"ivanov\" matches \"ivanov\""),
        "the explanation names the matched words: {stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("without the name dictionary"),
        "the missing reference data is said on stderr"
    );
}

#[test]
fn screening_one_name_as_json_marks_hits_and_takes_the_date_of_birth() {
    let fixture = Fixture::new();
    let out = corridor(&[
        "screen",
        "Viktor Ivanov",
        "--dob",
        "1960",
        "--list",
        &fixture.own_list(),
        "--json",
    ]);
    let report = json(&succeeded(&out));
    assert_eq!(report["threshold"], 850);
    let best = &report["candidates"][0];
    assert_eq!(best["entry_id"], "P1", "{report}");
    assert_eq!(best["hit"], true, "{report}");
    assert!(
        best["secondary"]
            .to_string()
            .contains("date_of_birth_agrees"),
        "{report}"
    );
}

#[test]
fn a_bad_date_of_birth_is_refused() {
    let fixture = Fixture::new();
    let out = corridor(&[
        "screen",
        "Viktor Ivanov",
        "--dob",
        "1960-13",
        "--list",
        &fixture.own_list(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dob"));
}

#[test]
fn without_a_list_the_lists_a_node_stored_are_used() {
    let fixture = Fixture::new();
    let lists = fixture.path("data/lists");
    std::fs::create_dir_all(&lists).expect("lists dir");
    std::fs::write(lists.join("own.list"), OWN_LIST).expect("list");
    std::fs::write(
        lists.join("own.json"),
        r#"{"format": "csv", "date": "2026-01-02"}"#,
    )
    .expect("description");
    let data = fixture.path("data");
    let out = corridor(&[
        "screen",
        "Ahmad Shah Massoud",
        "--data-dir",
        shown(&data),
        "--json",
    ]);
    let report = json(&succeeded(&out));
    assert_eq!(report["lists"][0]["list"], "own", "{report}");
    assert_eq!(report["lists"][0]["date"], "2026-01-02", "{report}");
    assert_eq!(report["candidates"][0]["entry_id"], "P2", "{report}");
}

fn pairs(fixture: &Fixture, seed: &str) -> String {
    let negatives = fixture.write(
        "negatives.csv",
        "full_name,first_name,middle_name,last_name,gender,date_of_birth,place_of_birth,nationality\n\
         Patricia Lucas Wheeler,Patricia,Lucas,Wheeler,female,2002-07-14,Dar es Salaam,Ethiopia\n\
         Hamid Rezaei,Hamid,,Rezaei,male,1970-01-01,Tabriz,Iran\n",
    );
    succeeded(&corridor(&[
        "screen",
        "pairs",
        "--list",
        &fixture.un_list(),
        "--seed",
        seed,
        "--negatives",
        shown(&negatives),
    ]))
}

#[test]
fn pairs_are_the_same_for_one_seed_and_carry_their_variation() {
    let fixture = Fixture::new();
    let first = pairs(&fixture, "7");
    assert_eq!(first, pairs(&fixture, "7"), "one seed, one pair set");
    let mut lines = first.lines();
    assert_eq!(lines.next(), Some("query,list_entry_id,expected,variation"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.rsplitn(3, ',').collect()).collect();
    let has = |variation: &str, expected: &str| {
        rows.iter()
            .any(|r| r.first() == Some(&variation) && r.get(1) == Some(&expected))
    };
    for variation in [
        "exact",
        "alias",
        "original_script",
        "latin_spelling",
        "lookalike",
        "word_order",
        "dropped_part",
        "cyrillic",
    ] {
        assert!(has(variation, "match"), "no {variation} row in\n{first}");
    }
    let exact: Vec<&str> = rows
        .iter()
        .filter(|r| r.first() == Some(&"exact"))
        .filter_map(|r| r.get(2).copied())
        .collect();
    for row in rows.iter().filter(|r| r.first() == Some(&"no_match")) {
        let query_and_id = row.get(2).copied().unwrap_or_default();
        assert!(
            !exact.contains(&query_and_id),
            "a name is never paired with its own entry as no_match: {first}"
        );
    }
    assert!(has("clean_name", "no_match"), "{first}");
    assert!(
        first.contains("كريم حسن الفارسي,QDi.901,match,original_script"),
        "{first}"
    );
    assert!(
        first.contains("сергеи николаевич щербаков,QDi.903,match,cyrillic"),
        "the passport table reads shch as щ: {first}"
    );
}

#[test]
fn another_seed_gives_other_perturbations() {
    let fixture = Fixture::new();
    assert_ne!(pairs(&fixture, "7"), pairs(&fixture, "8"));
}

fn eval(fixture: &Fixture, pairs: &Path) -> Output {
    corridor(&[
        "screen",
        "eval",
        "--list",
        &fixture.own_list(),
        "--pairs",
        shown(pairs),
        "--json",
    ])
}

#[test]
fn eval_counts_a_found_a_missed_and_a_false_positive_row() {
    let fixture = Fixture::new();
    let pairs = fixture.write(
        "pairs.csv",
        "query,list_entry_id,expected,variation\n\
         Viktor Petrovich Ivanov,P1,match,exact\n\
         Quentin Zzyzx Blorp,P2,match,alias\n\
         Viktor Petrovich Ivanov,P1,no_match,no_match\n\
         Ahmad Shah Massoud,P1,no_match,no_match\n\
         Northern Star Shipping,O1,match\n",
    );
    let report = json(&succeeded(&eval(&fixture, &pairs)));
    let overall = &report["overall"];
    assert_eq!(overall["tp"], 2, "{report}");
    assert_eq!(overall["fn"], 1, "{report}");
    assert_eq!(overall["fp"], 1, "{report}");
    assert_eq!(overall["tn"], 1, "{report}");
    assert_eq!(overall["recall"], 2.0 / 3.0, "{report}");
    assert_eq!(overall["precision"], 2.0 / 3.0, "{report}");
    assert_eq!(report["by_variation"]["exact"]["recall"], 1.0);
    assert_eq!(report["by_variation"]["alias"]["recall"], 0.0);
    assert_eq!(report["by_variation"]["unspecified"]["tp"], 1, "{report}");
    assert_eq!(report["by_script"]["latin"]["rows"], 5, "{report}");
    assert_eq!(report["targets"]["exact_alias_recall"]["met"], false);
    assert_eq!(report["targets"]["cyrillic_recall"]["met"], Value::Null);
    assert_eq!(report["false_alerts_per_1000"], Value::Null);
}

#[test]
fn eval_reports_false_alerts_on_clean_names() {
    let fixture = Fixture::new();
    let pairs = fixture.write(
        "pairs.csv",
        "query,list_entry_id,expected\nViktor Ivanov,P1,match\n",
    );
    let negatives = fixture.write(
        "clean.csv",
        "full_name,date_of_birth\nViktor Ivanov,1990-02-03\nQuentin Zzyzx Blorp,1980\n",
    );
    let out = corridor(&[
        "screen",
        "eval",
        "--list",
        &fixture.own_list(),
        "--pairs",
        shown(&pairs),
        "--negatives",
        shown(&negatives),
        "--json",
    ]);
    let report = json(&succeeded(&out));
    assert_eq!(report["clean_names_screened"], 2, "{report}");
    assert_eq!(report["false_alerts_per_1000"], 500.0, "{report}");
    assert_eq!(
        report["targets"]["false_alerts_per_1000"]["met"], false,
        "{report}"
    );
}

#[test]
fn a_malformed_pairs_row_is_refused_with_its_line_number() {
    let fixture = Fixture::new();
    let pairs = fixture.write(
        "pairs.csv",
        "query,list_entry_id,expected,variation\n\
         Viktor Ivanov,P1,match,exact\n\
         Viktor Ivanov,P1,maybe,exact\n",
    );
    let out = eval(&fixture, &pairs);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("maybe"), "{stderr}");
}

#[test]
fn a_pairs_file_without_its_header_is_refused() {
    let fixture = Fixture::new();
    let pairs = fixture.write("pairs.csv", "Viktor Ivanov,P1,match\n");
    let out = eval(&fixture, &pairs);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn bench_screen_on_tiny_inputs_reports_its_figures_and_targets() {
    let fixture = Fixture::new();
    let out = corridor(&[
        "bench",
        "screen",
        "--json",
        "--list",
        &fixture.own_list(),
        "--list",
        &fixture.un_list(),
        "--clean-names",
        "30",
        "--payments",
        "10",
        "--baseline-queries",
        "5",
        "--index-entities",
        "40",
    ]);
    let report = json(&succeeded(&out));
    for field in [
        "screens_per_s",
        "payment_p50_ms",
        "payment_p99_ms",
        "index_build_s",
        "lists_index_build_s",
        "baseline_screens_per_s",
        "ratio_to_baseline",
    ] {
        assert!(report[field].as_f64().is_some(), "{field} in {report}");
    }
    assert_eq!(report["entries"], 6, "{report}");
    assert_eq!(report["index_entities"], 40, "{report}");
    assert_eq!(report["clean_names"], 30, "{report}");
    assert_eq!(report["dictionary"]["loaded"], false, "{report}");
    for target in ["screens_per_s", "payment_p99_ms", "index_build_s"] {
        assert!(
            report["targets"][target]["met"].is_boolean(),
            "{target} in {report}"
        );
    }
    assert!(report["machine"]["cpus"].as_u64().is_some(), "{report}");
}

#[test]
fn bench_screen_without_lists_says_how_to_fetch_them() {
    let out = corridor(&["bench", "screen", "--json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("fetch-watchlists.sh"));
}
