//! Message components shared by the messages and the business application header: amounts,
//! agents, parties, postal addresses, accounts, reasons, remittance information, settlement
//! time requests and the identifiers of an original transaction. Each one reads itself from
//! the tree, writes itself as XML and checks its values.

use crate::check::{
    EXTERNAL_CODE, MAX_ADDRESS_LINES, MAX16_TEXT, MAX34_TEXT, MAX35_TEXT, MAX70_TEXT, MAX105_TEXT,
    MAX140_TEXT,
};
use crate::codes::{Code, Priority};
use crate::error::Report;
use crate::reason::ReasonCode;
use crate::tree::Element;
use crate::writer::XmlWriter;

/// `ActiveCurrencyAndAmount`, and `ActiveOrHistoricCurrencyAndAmount` which has the same
/// digits and currency pattern: the amount is kept as the exact decimal text of the message,
/// never as a float; converting it to minor units needs the currency's exponent, which is
/// the scheme's business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveCurrencyAndAmount {
    pub amount: String,
    /// The `Ccy` attribute.
    pub currency: String,
}

impl ActiveCurrencyAndAmount {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let currency = element.attribute("Ccy");
        if currency.is_none() {
            report.fail("@Ccy", ReasonCode::Ch21, "the Ccy attribute is required");
        }
        Some(ActiveCurrencyAndAmount {
            amount: element.text().to_owned(),
            currency: currency?.to_owned(),
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.leaf_with_attribute(name, ("Ccy", &self.currency), &self.amount);
    }

    pub(crate) fn check(&self, report: &mut Report, name: &str) {
        report.amount(name, &self.amount);
        report.currency(&format!("{name}/@Ccy"), &self.currency);
    }
}

/// `BranchAndFinancialInstitutionIdentification6`, kept to `FinInstnId/BICFI`: Corridor
/// identifies agents by BIC.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Agent {
    pub bicfi: Option<String>,
}

impl Agent {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        report.required_with(element, "FinInstnId", |r, institution| {
            Some(Agent {
                bicfi: r.optional_text(institution, "BICFI"),
            })
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| {
            out.element("FinInstnId", |out| {
                out.optional_leaf("BICFI", self.bicfi.as_deref())
            });
        });
    }

    pub(crate) fn check(&self, report: &mut Report, name: &str) {
        report.within(name, |r| {
            r.within("FinInstnId", |r| {
                r.optional_bic("BICFI", self.bicfi.as_deref())
            });
        });
    }
}

/// `PartyIdentification135`: a debtor, creditor or ultimate party.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartyIdentification {
    /// `Nm`
    pub name: Option<String>,
    /// `PstlAdr`
    pub postal_address: Option<PostalAddress>,
    /// `Id/OrgId`
    pub organisation_identification: Option<OrganisationIdentification>,
    /// `CtryOfRes`
    pub country_of_residence: Option<String>,
}

impl PartyIdentification {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let name = report.optional_text(element, "Nm");
        let postal_address = report.optional_with(element, "PstlAdr", PostalAddress::read);
        let organisation_identification = report.optional_with(element, "Id", |r, id| {
            r.optional_with(id, "OrgId", OrganisationIdentification::read)
        });
        let country_of_residence = report.optional_text(element, "CtryOfRes");
        Some(PartyIdentification {
            name,
            postal_address,
            organisation_identification,
            country_of_residence,
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| {
            out.optional_leaf("Nm", self.name.as_deref());
            if let Some(address) = &self.postal_address {
                address.write(out);
            }
            if let Some(organisation) = &self.organisation_identification {
                out.element("Id", |out| organisation.write(out));
            }
            out.optional_leaf("CtryOfRes", self.country_of_residence.as_deref());
        });
    }

    pub(crate) fn check(&self, report: &mut Report, name: &str) {
        report.within(name, |r| {
            r.optional_max_text("Nm", self.name.as_deref(), MAX140_TEXT);
            if let Some(address) = &self.postal_address {
                r.within("PstlAdr", |r| address.check(r));
            }
            if let Some(organisation) = &self.organisation_identification {
                r.within("Id", |r| r.within("OrgId", |r| organisation.check(r)));
            }
            r.country("CtryOfRes", self.country_of_residence.as_deref());
        });
    }
}

/// `PostalAddress24`, kept to the structured fields a hub screens and routes on plus the
/// free address lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostalAddress {
    /// `StrtNm`
    pub street_name: Option<String>,
    /// `BldgNb`
    pub building_number: Option<String>,
    /// `PstCd`
    pub post_code: Option<String>,
    /// `TwnNm`
    pub town_name: Option<String>,
    /// `Ctry`
    pub country: Option<String>,
    /// `AdrLine`, at most 7.
    pub address_lines: Vec<String>,
}

impl PostalAddress {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        Some(PostalAddress {
            street_name: report.optional_text(element, "StrtNm"),
            building_number: report.optional_text(element, "BldgNb"),
            post_code: report.optional_text(element, "PstCd"),
            town_name: report.optional_text(element, "TwnNm"),
            country: report.optional_text(element, "Ctry"),
            address_lines: Report::repeated_text(element, "AdrLine"),
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("PstlAdr", |out| {
            out.optional_leaf("StrtNm", self.street_name.as_deref());
            out.optional_leaf("BldgNb", self.building_number.as_deref());
            out.optional_leaf("PstCd", self.post_code.as_deref());
            out.optional_leaf("TwnNm", self.town_name.as_deref());
            out.optional_leaf("Ctry", self.country.as_deref());
            for line in &self.address_lines {
                out.leaf("AdrLine", line);
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_max_text("StrtNm", self.street_name.as_deref(), MAX70_TEXT);
        report.optional_max_text("BldgNb", self.building_number.as_deref(), MAX16_TEXT);
        report.optional_max_text("PstCd", self.post_code.as_deref(), MAX16_TEXT);
        report.optional_max_text("TwnNm", self.town_name.as_deref(), MAX35_TEXT);
        report.country("Ctry", self.country.as_deref());
        report.repeated_max_text(
            "AdrLine",
            &self.address_lines,
            MAX70_TEXT,
            Some(MAX_ADDRESS_LINES),
        );
    }
}

/// `OrganisationIdentification29`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrganisationIdentification {
    /// `AnyBIC`
    pub any_bic: Option<String>,
    /// `LEI`
    pub lei: Option<String>,
    /// `Othr`
    pub other: Vec<GenericOrganisationIdentification>,
}

impl OrganisationIdentification {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let any_bic = report.optional_text(element, "AnyBIC");
        let lei = report.optional_text(element, "LEI");
        let mut other = Vec::new();
        for (i, generic) in element.children_named("Othr").enumerate() {
            let read = report.within_nth("Othr", i + 1, |r| {
                GenericOrganisationIdentification::read(r, &generic)
            });
            other.extend(read);
        }
        Some(OrganisationIdentification {
            any_bic,
            lei,
            other,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("OrgId", |out| {
            out.optional_leaf("AnyBIC", self.any_bic.as_deref());
            out.optional_leaf("LEI", self.lei.as_deref());
            for generic in &self.other {
                generic.write(out);
            }
        });
    }

    fn check(&self, report: &mut Report) {
        report.optional_bic("AnyBIC", self.any_bic.as_deref());
        report.lei("LEI", self.lei.as_deref());
        for (i, generic) in self.other.iter().enumerate() {
            report.within_nth("Othr", i + 1, |r| generic.check(r));
        }
    }
}

/// `GenericOrganisationIdentification1`, with the scheme kept as its code (`SchmeNm/Cd`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenericOrganisationIdentification {
    /// `Id`
    pub identification: String,
    /// `SchmeNm/Cd`, an `ExternalOrganisationIdentification1Code` such as `TXID`.
    pub scheme_name_code: Option<String>,
    /// `Issr`
    pub issuer: Option<String>,
}

impl GenericOrganisationIdentification {
    fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let identification = report.required_text(element, "Id");
        let scheme_name_code = report.optional_with(element, "SchmeNm", |r, scheme| {
            r.optional_text(scheme, "Cd")
        });
        let issuer = report.optional_text(element, "Issr");
        Some(GenericOrganisationIdentification {
            identification: identification?,
            scheme_name_code,
            issuer,
        })
    }

    fn write(&self, out: &mut XmlWriter) {
        out.element("Othr", |out| {
            out.leaf("Id", &self.identification);
            if let Some(code) = &self.scheme_name_code {
                out.element("SchmeNm", |out| out.leaf("Cd", code));
            }
            out.optional_leaf("Issr", self.issuer.as_deref());
        });
    }

    fn check(&self, report: &mut Report) {
        report.max_text("Id", &self.identification, MAX35_TEXT);
        report.within("SchmeNm", |r| {
            r.optional_max_text("Cd", self.scheme_name_code.as_deref(), EXTERNAL_CODE)
        });
        report.optional_max_text("Issr", self.issuer.as_deref(), MAX35_TEXT);
    }
}

/// `CashAccount38`, kept to its identification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashAccount {
    /// `Id`
    pub identification: AccountIdentification,
}

/// `AccountIdentification4Choice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountIdentification {
    /// `IBAN`
    Iban(String),
    /// `Othr/Id`: a domestic account number.
    Other(String),
}

impl CashAccount {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        AccountIdentification::read(report, element)
            .map(|identification| CashAccount { identification })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| self.identification.write(out));
    }

    pub(crate) fn check(&self, report: &mut Report, name: &str) {
        report.within(name, |r| self.identification.check(r));
    }
}

impl AccountIdentification {
    /// Reads the `Id` of the account element `account`.
    pub(crate) fn read(report: &mut Report, account: &Element) -> Option<Self> {
        report.required_with(account, "Id", |r, id| {
            let iban = r.optional_text(id, "IBAN");
            let other = r.optional_with(id, "Othr", |r, other| r.required_text(other, "Id"));
            match (iban, other) {
                (Some(iban), None) => Some(AccountIdentification::Iban(iban)),
                (None, Some(other)) => Some(AccountIdentification::Other(other)),
                (Some(_), Some(_)) => {
                    r.fail(
                        "Othr",
                        ReasonCode::Ch17,
                        "IBAN and Othr are a choice: one only",
                    );
                    None
                }
                (None, None) => {
                    // An Othr without its Id has already been reported as such.
                    if id.children_named("Othr").next().is_none() {
                        r.fail("IBAN", ReasonCode::Ch21, "IBAN or Othr/Id is required");
                    }
                    None
                }
            }
        })
    }

    /// The `Id` element.
    pub(crate) fn write(&self, out: &mut XmlWriter) {
        out.element("Id", |out| match self {
            AccountIdentification::Iban(iban) => out.leaf("IBAN", iban),
            AccountIdentification::Other(id) => out.element("Othr", |out| out.leaf("Id", id)),
        });
    }

    pub(crate) fn check(&self, report: &mut Report) {
        report.within("Id", |r| match self {
            AccountIdentification::Iban(iban) => r.iban("IBAN", iban),
            AccountIdentification::Other(id) => {
                r.within("Othr", |r| r.max_text("Id", id, MAX34_TEXT))
            }
        });
    }
}

/// `StatusReasonInformation12`, `PaymentReturnReason6`, `PaymentCancellationReason5` and
/// `CancellationStatusReason4`, which share one shape (each with its own reason code set), kept to the reason code and the additional information.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReasonInformation {
    /// `Rsn/Cd`, an external reason code such as `AC04` or `DUPL`.
    pub reason_code: Option<String>,
    /// `AddtlInf`
    pub additional_information: Vec<String>,
}

impl ReasonInformation {
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let reason_code =
            report.optional_with(element, "Rsn", |r, reason| r.optional_text(reason, "Cd"));
        Some(ReasonInformation {
            reason_code,
            additional_information: Report::repeated_text(element, "AddtlInf"),
        })
    }

    pub(crate) fn write(&self, out: &mut XmlWriter, name: &str) {
        out.element(name, |out| {
            if let Some(code) = &self.reason_code {
                out.element("Rsn", |out| out.leaf("Cd", code));
            }
            for line in &self.additional_information {
                out.leaf("AddtlInf", line);
            }
        });
    }

    pub(crate) fn check(&self, report: &mut Report) {
        report.within("Rsn", |r| {
            r.optional_max_text("Cd", self.reason_code.as_deref(), EXTERNAL_CODE)
        });
        report.repeated_max_text("AddtlInf", &self.additional_information, MAX105_TEXT, None);
    }
}

/// `RmtInf/Ustrd`, the unstructured remittance lines.
pub(crate) fn read_unstructured_remittance(report: &mut Report, parent: &Element) -> Vec<String> {
    report
        .optional(parent, "RmtInf")
        .map(|info| Report::repeated_text(&info, "Ustrd"))
        .unwrap_or_default()
}

pub(crate) fn write_unstructured_remittance(out: &mut XmlWriter, lines: &[String]) {
    if !lines.is_empty() {
        out.element("RmtInf", |out| {
            for line in lines {
                out.leaf("Ustrd", line);
            }
        });
    }
}

pub(crate) fn check_unstructured_remittance(report: &mut Report, lines: &[String]) {
    report.within("RmtInf", |r| {
        r.repeated_max_text("Ustrd", lines, MAX140_TEXT, None)
    });
}

pub(crate) fn write_optional_agent(out: &mut XmlWriter, name: &str, agent: Option<&Agent>) {
    if let Some(agent) = agent {
        agent.write(out, name);
    }
}

pub(crate) fn check_optional_agent(report: &mut Report, name: &str, agent: Option<&Agent>) {
    if let Some(agent) = agent {
        agent.check(report, name);
    }
}

pub(crate) fn write_optional_party(
    out: &mut XmlWriter,
    name: &str,
    party: Option<&PartyIdentification>,
) {
    if let Some(party) = party {
        party.write(out, name);
    }
}

pub(crate) fn check_optional_party(
    report: &mut Report,
    name: &str,
    party: Option<&PartyIdentification>,
) {
    if let Some(party) = party {
        party.check(report, name);
    }
}

pub(crate) fn write_optional_account(
    out: &mut XmlWriter,
    name: &str,
    account: Option<&CashAccount>,
) {
    if let Some(account) = account {
        account.write(out, name);
    }
}

pub(crate) fn check_optional_account(
    report: &mut Report,
    name: &str,
    account: Option<&CashAccount>,
) {
    if let Some(account) = account {
        account.check(report, name);
    }
}

/// `Purp/Cd`, an `ExternalPurpose1Code` such as `SUPP`; a proprietary `Purp/Prtry` is not
/// kept.
pub(crate) fn read_purpose_code(report: &mut Report, parent: &Element) -> Option<String> {
    report.optional_with(parent, "Purp", |r, purpose| r.optional_text(purpose, "Cd"))
}

pub(crate) fn write_purpose_code(out: &mut XmlWriter, code: Option<&str>) {
    if let Some(code) = code {
        out.element("Purp", |out| out.leaf("Cd", code));
    }
}

pub(crate) fn check_purpose_code(report: &mut Report, code: Option<&str>) {
    report.within("Purp", |r| r.optional_max_text("Cd", code, EXTERNAL_CODE));
}

/// `PmtTpInf/InstrPrty` of `PaymentTypeInformation28` (pacs) and `PaymentTypeInformation26`
/// (pain.001), which both begin with it.
pub(crate) fn read_instruction_priority(report: &mut Report, parent: &Element) -> Option<Priority> {
    report.optional_with(parent, "PmtTpInf", |r, info| {
        r.optional_code(info, "InstrPrty")
    })
}

pub(crate) fn write_instruction_priority(out: &mut XmlWriter, priority: Option<Priority>) {
    if let Some(priority) = priority {
        out.element("PmtTpInf", |out| out.leaf("InstrPrty", priority.code()));
    }
}

/// `SettlementTimeRequest2` (`SttlmTmReq` of pacs.008 and pacs.009): the times the
/// instructing agent asks the settlement to keep to. Each is an `ISOTime` kept as written
/// (`hh:mm:ss`, an optional fraction and an optional time zone, `Z` or `+hh:mm`). Every
/// element is optional, so an empty `SttlmTmReq` is valid and kept as one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettlementTimeRequest {
    /// `FrTm`: the time from which the payment may be settled.
    pub from_time: Option<String>,
    /// `TillTm`: the time until which the payment may be settled.
    pub till_time: Option<String>,
    /// `RjctTm`: the time by which the payment must be settled or be rejected.
    pub reject_time: Option<String>,
    /// `CLSTm`: the time by which the amount must reach CLS Bank's account at the central
    /// bank (CLS expresses it in Central European Time).
    pub cls_time: Option<String>,
}

impl SettlementTimeRequest {
    /// Read in the XSD's sequence order (`CLSTm`, `TillTm`, `FrTm`, `RjctTm`).
    pub(crate) fn read(report: &mut Report, element: &Element) -> Option<Self> {
        let cls_time = report.optional_text(element, "CLSTm");
        let till_time = report.optional_text(element, "TillTm");
        let from_time = report.optional_text(element, "FrTm");
        let reject_time = report.optional_text(element, "RjctTm");
        Some(SettlementTimeRequest {
            from_time,
            till_time,
            reject_time,
            cls_time,
        })
    }

    /// Elements in the XSD's sequence order.
    pub(crate) fn write(&self, out: &mut XmlWriter) {
        out.element("SttlmTmReq", |out| {
            out.optional_leaf("CLSTm", self.cls_time.as_deref());
            out.optional_leaf("TillTm", self.till_time.as_deref());
            out.optional_leaf("FrTm", self.from_time.as_deref());
            out.optional_leaf("RjctTm", self.reject_time.as_deref());
        });
    }

    pub(crate) fn check(&self, report: &mut Report) {
        report.within("SttlmTmReq", |r| {
            r.iso_time("CLSTm", self.cls_time.as_deref());
            r.iso_time("TillTm", self.till_time.as_deref());
            r.iso_time("FrTm", self.from_time.as_deref());
            r.iso_time("RjctTm", self.reject_time.as_deref());
        });
    }
}

pub(crate) fn write_optional_settlement_time_request(
    out: &mut XmlWriter,
    request: Option<&SettlementTimeRequest>,
) {
    if let Some(request) = request {
        request.write(out);
    }
}

pub(crate) fn check_optional_settlement_time_request(
    report: &mut Report,
    request: Option<&SettlementTimeRequest>,
) {
    if let Some(request) = request {
        request.check(report);
    }
}

/// The identifiers of the original transaction that a status report, a return or a
/// cancellation refers to (`OrgnlInstrId`, `OrgnlEndToEndId`, `OrgnlTxId`, `OrgnlUETR`),
/// which the three messages place in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OriginalIdentification {
    /// `OrgnlInstrId`
    pub instruction_identification: Option<String>,
    /// `OrgnlEndToEndId`
    pub end_to_end_identification: Option<String>,
    /// `OrgnlTxId`
    pub transaction_identification: Option<String>,
    /// `OrgnlUETR`
    pub uetr: Option<String>,
}

impl OriginalIdentification {
    pub(crate) fn read(report: &mut Report, parent: &Element) -> Self {
        OriginalIdentification {
            instruction_identification: report.optional_text(parent, "OrgnlInstrId"),
            end_to_end_identification: report.optional_text(parent, "OrgnlEndToEndId"),
            transaction_identification: report.optional_text(parent, "OrgnlTxId"),
            uetr: report.optional_text(parent, "OrgnlUETR"),
        }
    }

    pub(crate) fn write(&self, out: &mut XmlWriter) {
        out.optional_leaf("OrgnlInstrId", self.instruction_identification.as_deref());
        out.optional_leaf("OrgnlEndToEndId", self.end_to_end_identification.as_deref());
        out.optional_leaf("OrgnlTxId", self.transaction_identification.as_deref());
        out.optional_leaf("OrgnlUETR", self.uetr.as_deref());
    }

    pub(crate) fn check(&self, report: &mut Report) {
        for (name, value) in [
            ("OrgnlInstrId", &self.instruction_identification),
            ("OrgnlEndToEndId", &self.end_to_end_identification),
            ("OrgnlTxId", &self.transaction_identification),
        ] {
            report.optional_max_text(name, value.as_deref(), MAX35_TEXT);
        }
        report.uetr("OrgnlUETR", self.uetr.as_deref());
    }
}
