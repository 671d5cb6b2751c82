//! head.001.001.02, the business application header (`AppHdr`) that travels before a
//! `Document`: who sent the message to whom, its identifier and its definition.

use crate::check::MAX35_TEXT;
use crate::components::Agent;
use crate::error::{FieldErrors, Report};
use crate::message_type::MessageType;
use crate::read::Choice;
use crate::reason::ReasonCode;
use crate::tree::Element;
use crate::writer::XmlWriter;

/// `BusinessApplicationHeaderV02`, with both parties as financial institutions (`FIId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessApplicationHeader {
    /// `Fr/FIId`
    pub from: Agent,
    /// `To/FIId`
    pub to: Agent,
    /// `BizMsgIdr`
    pub business_message_identifier: String,
    /// `MsgDefIdr`, such as `pacs.008.001.08`.
    pub message_definition_identifier: String,
    /// `BizSvc`, such as `swift.cbprplus.02`.
    pub business_service: Option<String>,
    /// `CreDt`, as written (ISO 8601 date-time).
    pub creation_date: String,
}

impl BusinessApplicationHeader {
    pub(crate) fn read(app_hdr: &Element) -> Result<Self, FieldErrors> {
        let mut report = Report::new();
        let header = report.within("AppHdr", |r| read_header(r, app_hdr));
        report.finish(header)
    }

    /// The `AppHdr` element, namespace declared. A header that passes [`Self::validate`] is
    /// valid against the head.001.001.02 XSD.
    pub fn to_xml(&self) -> String {
        let mut out = XmlWriter::default();
        out.open_root("AppHdr", MessageType::Head001V02.namespace());
        write_party(&mut out, "Fr", &self.from);
        write_party(&mut out, "To", &self.to);
        out.leaf("BizMsgIdr", &self.business_message_identifier);
        out.leaf("MsgDefIdr", &self.message_definition_identifier);
        out.optional_leaf("BizSvc", self.business_service.as_deref());
        out.leaf("CreDt", &self.creation_date);
        out.close("AppHdr");
        out.finish()
    }

    /// The first validation layer: lengths, patterns and required elements.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut report = Report::new();
        report.within("AppHdr", |r| {
            r.within("Fr", |r| self.from.check(r, "FIId"));
            r.within("To", |r| self.to.check(r, "FIId"));
            r.max_text("BizMsgIdr", &self.business_message_identifier, MAX35_TEXT);
            r.max_text("MsgDefIdr", &self.message_definition_identifier, MAX35_TEXT);
            r.optional_max_text("BizSvc", self.business_service.as_deref(), MAX35_TEXT);
            r.iso_date_time("CreDt", &self.creation_date);
        });
        report.finish(Some(()))
    }
}

fn read_header(report: &mut Report, element: &Element) -> Option<BusinessApplicationHeader> {
    let from = report.required_with(element, "Fr", read_party);
    let to = report.required_with(element, "To", read_party);
    let business_message_identifier = report.required_text(element, "BizMsgIdr");
    let message_definition_identifier = report.required_text(element, "MsgDefIdr");
    let business_service = report.optional_text(element, "BizSvc");
    let creation_date = report.required_text(element, "CreDt");
    Some(BusinessApplicationHeader {
        from: from?,
        to: to?,
        business_message_identifier: business_message_identifier?,
        message_definition_identifier: message_definition_identifier?,
        business_service,
        creation_date: creation_date?,
    })
}

/// The scheme rule that refuses an `OrgId` party: the schema allows it, the scheme does not.
pub const RULE_PARTIES_ARE_INSTITUTIONS: &str = "CRDR-HEAD-1";

/// `Party44Choice`: either alternative is schema-valid, but Corridor's participants are
/// financial institutions, so an `OrgId` party is refused by rule `CRDR-HEAD-1`.
fn read_party(report: &mut Report, element: &Element) -> Option<Agent> {
    match report.choice(element, "FIId", "OrgId")? {
        Choice::First(institution) => report.within("FIId", |r| Agent::read(r, &institution)),
        Choice::Second(_) => {
            report.fail(
                "OrgId",
                ReasonCode::Rc01,
                format!(
                    "rule {RULE_PARTIES_ARE_INSTITUTIONS}: a message comes from and goes to a participant, a financial institution named by FIId; an organisation (OrgId) is not one"
                ),
            );
            None
        }
    }
}

fn write_party(out: &mut XmlWriter, name: &str, agent: &Agent) {
    out.element(name, |out| agent.write(out, "FIId"));
}
