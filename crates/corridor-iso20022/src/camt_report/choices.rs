//! The two choices camt reports share between balances and entries: an external code or a
//! proprietary one (`BalanceType10Choice`, `EntryStatus1Choice`), and a date or a date-time
//! (`DateAndDateTime2Choice`).

use crate::check::{EXTERNAL_CODE, MAX35_TEXT};
use crate::error::Report;
use crate::read::Choice;
use crate::tree::Element;
use crate::writer::XmlWriter;

/// A choice of an external code (`Cd`, 1 to 4 characters) or a proprietary one (`Prtry`,
/// up to 35): `BalanceType10Choice` and `EntryStatus1Choice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOrProprietary {
    /// `Cd`
    Code(String),
    /// `Prtry`
    Proprietary(String),
}

impl CodeOrProprietary {
    pub(super) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(match report.choice(element, "Cd", "Prtry")? {
            Choice::First(code) => CodeOrProprietary::Code(code.text().to_owned()),
            Choice::Second(proprietary) => {
                CodeOrProprietary::Proprietary(proprietary.text().to_owned())
            }
        })
    }

    pub(super) fn write(&self, out: &mut XmlWriter) {
        match self {
            CodeOrProprietary::Code(code) => out.leaf("Cd", code),
            CodeOrProprietary::Proprietary(proprietary) => out.leaf("Prtry", proprietary),
        }
    }

    pub(super) fn check(&self, report: &mut Report) {
        match self {
            CodeOrProprietary::Code(code) => report.max_text("Cd", code, EXTERNAL_CODE),
            CodeOrProprietary::Proprietary(proprietary) => {
                report.max_text("Prtry", proprietary, MAX35_TEXT)
            }
        }
    }
}

/// `DateAndDateTime2Choice`, as written (ISO 8601).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateOrDateTime {
    /// `Dt`
    Date(String),
    /// `DtTm`
    DateTime(String),
}

impl DateOrDateTime {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(match report.choice(element, "Dt", "DtTm")? {
            Choice::First(date) => DateOrDateTime::Date(date.text().to_owned()),
            Choice::Second(date_time) => DateOrDateTime::DateTime(date_time.text().to_owned()),
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| match self {
            DateOrDateTime::Date(date) => out.leaf("Dt", date),
            DateOrDateTime::DateTime(date_time) => out.leaf("DtTm", date_time),
        });
    }

    pub(crate) fn check(&self, report: &mut Report, name: &str) {
        report.within(name, |r| match self {
            DateOrDateTime::Date(date) => r.iso_date("Dt", Some(date)),
            DateOrDateTime::DateTime(date_time) => r.iso_date_time("DtTm", date_time),
        });
    }
}

pub(super) fn write_optional_date(out: &mut XmlWriter, name: &str, date: Option<&DateOrDateTime>) {
    if let Some(date) = date {
        date.write(out, name);
    }
}

pub(super) fn check_optional_date(report: &mut Report, name: &str, date: Option<&DateOrDateTime>) {
    if let Some(date) = date {
        date.check(report, name);
    }
}
