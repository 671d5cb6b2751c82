//! Reference-rate files as settlement agents keep them: CSV with a `base,quote,rate` header,
//! or JSON (a list of `{"base","quote","rate"}` objects, or `{"rates": [...]}`). Used by
//! `corridor rates load` and by the demo (`corridor-demo`), which ships its own sample.

use corridor_settlement::fx::sheet::ReferenceRateRequest;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum RatesFileError {
    #[error("reference rates CSV, record {record}: {reason}")]
    Csv { record: u64, reason: String },
    #[error("reference rates JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the file holds no reference rates")]
    Empty,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonRates {
    List(Vec<ReferenceRateRequest>),
    Wrapped { rates: Vec<ReferenceRateRequest> },
}

/// Parses a reference-rate file; JSON if it starts with `[` or `{`, else CSV.
pub fn parse(text: &str) -> Result<Vec<ReferenceRateRequest>, RatesFileError> {
    let rates = if text.trim_start().starts_with(['[', '{']) {
        match serde_json::from_str(text)? {
            JsonRates::List(rates) | JsonRates::Wrapped { rates } => rates,
        }
    } else {
        parse_csv(text)?
    };
    if rates.is_empty() {
        return Err(RatesFileError::Empty);
    }
    Ok(rates)
}

fn parse_csv(text: &str) -> Result<Vec<ReferenceRateRequest>, RatesFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    reader
        .deserialize()
        .enumerate()
        .map(|(i, row)| {
            row.map_err(|e| RatesFileError::Csv {
                record: i as u64 + 1,
                reason: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_json_give_the_same_rates() {
        let csv = parse("base,quote,rate\nRUB, IRR ,515.50\nCNY,IRR,5900\n").unwrap();
        let json = parse(r#"[{"base":"RUB","quote":"IRR","rate":"515.50"},{"base":"CNY","quote":"IRR","rate":"5900"}]"#).unwrap();
        let wrapped = parse(r#"{"rates":[{"base":"RUB","quote":"IRR","rate":"515.50"},{"base":"CNY","quote":"IRR","rate":"5900"}]}"#).unwrap();
        assert_eq!(csv, json);
        assert_eq!(csv, wrapped);
        assert_eq!(csv[0].rate.to_string(), "515.50");
    }

    #[test]
    fn bad_files_name_the_record() {
        let e = parse("base,quote,rate\nRUB,IRR,515.50\nRUB,ZZZ,1\n").unwrap_err();
        assert!(e.to_string().contains("record 2"), "{e}");
        assert!(parse("base,quote,rate\nRUB,IRR,-3\n").is_err());
        assert!(matches!(
            parse("base,quote,rate\n"),
            Err(RatesFileError::Empty)
        ));
        assert!(parse("[{\"base\":\"RUB\"}]").is_err());
    }
}
