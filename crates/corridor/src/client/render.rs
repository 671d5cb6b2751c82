//! Output: tables, key/value blocks, engine time as RFC 3339 UTC, and the node's JSON
//! re-indented without being re-encoded (so numbers such as 128-bit account ids and the key
//! order stay exactly as the node sent them).

use anyhow::{anyhow, bail};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A table with the CLI's look. `right` lists the columns to right-align (amounts).
pub fn table(header: &[&str], right: &[usize]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(Cell::new).collect::<Vec<_>>());
    for &i in right {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// Labelled lines: "label   value", labels padded to one width.
pub fn block(rows: &[(&str, String)]) -> String {
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(label, value)| format!("  {label:<width$}  {value}\n"))
        .collect()
}

/// Engine time (nanoseconds since the Unix epoch) as RFC 3339 UTC to the millisecond:
/// `2026-11-23T19:03:00.303Z`.
pub fn time(nanos: u64) -> String {
    utc(nanos, 3)
}

/// Engine time with all nine fractional digits, for a single payment's details.
pub fn time_exact(nanos: u64) -> String {
    utc(nanos, 9)
}

/// RFC 3339 UTC with `digits` (at most 9) fractional digits, truncated.
fn utc(nanos: u64, digits: usize) -> String {
    match OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos)) {
        Ok(t) => {
            let fraction = format!("{:09}", t.nanosecond());
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                &fraction[..digits.min(9)]
            )
        }
        Err(_) => format!("{nanos} ns"),
    }
}

/// Parses an RFC 3339 time (`2026-11-23T19:03:00Z`, `2026-11-23T22:03:00+03:00`) or a UTC
/// date (`2026-11-23`, meaning its midnight UTC) into engine time.
pub fn parse_time(text: &str) -> anyhow::Result<u64> {
    let text = text.trim();
    let parsed = if text.len() == 10 {
        OffsetDateTime::parse(&format!("{text}T00:00:00Z"), &Rfc3339)
    } else {
        OffsetDateTime::parse(text, &Rfc3339)
    };
    let t = parsed.map_err(|e| {
        anyhow!("{text:?} is not an RFC 3339 time such as 2026-11-23T19:03:00Z or a date: {e}")
    })?;
    let nanos = t.unix_timestamp_nanos();
    if nanos < 0 {
        bail!("{text:?} is before 1970, earlier than any engine time");
    }
    u64::try_from(nanos).map_err(|_| anyhow!("{text:?} is beyond the engine clock's range"))
}

/// A clap value parser for time options: engine nanoseconds.
pub fn time_arg(text: &str) -> Result<u64, String> {
    parse_time(text).map_err(|e| e.to_string())
}

/// An enum value as the API spells it ("settled", "direct_participant").
pub fn word<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// `CODE: message`, or "" for none.
pub fn reason(r: Option<&corridor_settlement::Rejection>) -> String {
    r.map(|r| format!("{}: {}", r.code, r.message))
        .unwrap_or_default()
}

/// The node's JSON, indented by two spaces per level. Only whitespace outside strings is
/// changed; an answer that is not JSON comes back trimmed, unchanged.
pub fn pretty_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.trim().chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                    chars.next();
                }
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        let nanos = 1_795_460_580_303_243_961;
        assert_eq!(time(nanos), "2026-11-23T19:03:00.303Z");
        assert_eq!(time_exact(nanos), "2026-11-23T19:03:00.303243961Z");
        assert_eq!(
            parse_time("2026-11-23T19:03:00.303243961Z").ok(),
            Some(nanos)
        );
        assert_eq!(
            parse_time("2026-11-23T22:03:00.303243961+03:00").ok(),
            Some(nanos)
        );
        assert_eq!(parse_time("1970-01-02").ok(), Some(86_400_000_000_000));
        assert!(parse_time("1969-12-31T23:59:59Z").is_err());
        assert!(parse_time("yesterday").is_err());
        assert_eq!(time(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn json_is_reindented_not_reencoded() {
        let text = r#"{"b":1,"a":[],"id":340282366920938463463374607431768211454,"s":"x, {y}: \"z\"","o":{"k":[1,2]}}"#;
        let expected = "{\n  \"b\": 1,\n  \"a\": [],\n  \"id\": 340282366920938463463374607431768211454,\n  \"s\": \"x, {y}: \\\"z\\\"\",\n  \"o\": {\n    \"k\": [\n      1,\n      2\n    ]\n  }\n}";
        assert_eq!(pretty_json(text), expected);
        assert_eq!(pretty_json("ok"), "ok");
    }
}
