//! Sample messages written for these tests, and the XSD directory they validate against.

#![allow(dead_code)] // Each test file uses its own subset of the samples.

use std::path::PathBuf;
use std::process::Command;

pub const PACS008_NS: &str = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08";
pub const HEAD_NS: &str = "urn:iso:std:iso:20022:tech:xsd:head.001.001.02";

/// A Moscow importer pays a Tehran supplier through their banks: every field the model
/// keeps, with Cyrillic and Persian names and text that needs escaping.
pub const FULL_PACS008: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
  <FIToFICstmrCdtTrf>
    <GrpHdr>
      <MsgId>SABR-20240501-000017</MsgId>
      <CreDtTm>2024-05-01T09:30:15.250+03:00</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      <TtlIntrBkSttlmAmt Ccy="EUR">125000.50</TtlIntrBkSttlmAmt>
      <SttlmInf>
        <SttlmMtd>CLRG</SttlmMtd>
      </SttlmInf>
    </GrpHdr>
    <CdtTrfTxInf>
      <PmtId>
        <InstrId>INSTR-17</InstrId>
        <EndToEndId>ИНВ-2024/05-77</EndToEndId>
        <TxId>TX-000017</TxId>
        <UETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</UETR>
      </PmtId>
      <PmtTpInf>
        <InstrPrty>HIGH</InstrPrty>
      </PmtTpInf>
      <IntrBkSttlmAmt Ccy="EUR">125000.50</IntrBkSttlmAmt>
      <IntrBkSttlmDt>2024-05-01</IntrBkSttlmDt>
      <ChrgBr>SHAR</ChrgBr>
      <InstgAgt><FinInstnId><BICFI>SABRRUMMXXX</BICFI></FinInstnId></InstgAgt>
      <InstdAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></InstdAgt>
      <UltmtDbtr>
        <Nm>АО «Северный Холдинг»</Nm>
        <CtryOfRes>RU</CtryOfRes>
      </UltmtDbtr>
      <Dbtr>
        <Nm>ООО «Ромашка» &amp; партнёры &lt;импорт&gt;</Nm>
        <PstlAdr>
          <StrtNm>улица Тверская</StrtNm>
          <BldgNb>7/2</BldgNb>
          <PstCd>125009</PstCd>
          <TwnNm>Москва</TwnNm>
          <Ctry>RU</Ctry>
          <AdrLine>офис 305</AdrLine>
          <AdrLine>бизнес-центр "Тверь"</AdrLine>
        </PstlAdr>
        <Id>
          <OrgId>
            <AnyBIC>ROMARUMM</AnyBIC>
            <LEI>2534001EXAMPLE000072</LEI>
            <Othr>
              <Id>7701234567</Id>
              <SchmeNm><Cd>TXID</Cd></SchmeNm>
              <Issr>ФНС России</Issr>
            </Othr>
            <Othr>
              <Id>1027700132195</Id>
            </Othr>
          </OrgId>
        </Id>
        <CtryOfRes>RU</CtryOfRes>
      </Dbtr>
      <DbtrAcct><Id><Othr><Id>40702810938000012345</Id></Othr></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></DbtrAgt>
      <CdtrAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></CdtrAgt>
      <Cdtr>
        <Nm>شرکت بازرگانی آریا پارس</Nm>
        <PstlAdr>
          <StrtNm>خیابان ولیعصر</StrtNm>
          <BldgNb>۱۲۴</BldgNb>
          <PstCd>1516743311</PstCd>
          <TwnNm>تهران</TwnNm>
          <Ctry>IR</Ctry>
        </PstlAdr>
        <CtryOfRes>IR</CtryOfRes>
      </Cdtr>
      <CdtrAcct><Id><IBAN>IR062960000000100324200001</IBAN></Id></CdtrAcct>
      <UltmtCdtr>
        <Nm>محمد رضا احمدی</Nm>
      </UltmtCdtr>
      <Purp><Cd>GDDS</Cd></Purp>
      <RmtInf>
        <Ustrd>Оплата по контракту № 17/2024 от 12.03.2024</Ustrd>
        <Ustrd>پرداخت فاکتور شماره ۴۵۶</Ustrd>
      </RmtInf>
    </CdtTrfTxInf>
  </FIToFICstmrCdtTrf>
</Document>
"#;

/// Only what the XSD requires, with two transactions and IRR's whole units.
pub const MINIMAL_PACS008: &str = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm><NbOfTxs>2</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>
<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId><IntrBkSttlmAmt Ccy="IRR">4200000000</IntrBkSttlmAmt><ChrgBr>DEBT</ChrgBr>
<Dbtr/><DbtrAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></DbtrAgt><CdtrAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></CdtrAgt><Cdtr><Nm>Иван Петров</Nm></Cdtr></CdtTrfTxInf>
<CdtTrfTxInf><PmtId><EndToEndId>E2</EndToEndId></PmtId><IntrBkSttlmAmt Ccy="IRR">0.5</IntrBkSttlmAmt><ChrgBr>SLEV</ChrgBr>
<Dbtr><Nm>زهرا کریمی</Nm></Dbtr><DbtrAgt><FinInstnId/></DbtrAgt><CdtrAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></CdtrAgt><Cdtr/></CdtTrfTxInf>
</FIToFICstmrCdtTrf></Document>"#;

/// Tehran's bank reports on a batch from Moscow: one transfer settled, one rejected with
/// two reasons, one pending.
pub const PACS002: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
  <FIToFIPmtStsRpt>
    <GrpHdr>
      <MsgId>BMJI-STS-20240501-0042</MsgId>
      <CreDtTm>2024-05-01T11:02:00+03:30</CreDtTm>
      <InstgAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></InstgAgt>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>SABR-20240501-000017</OrgnlMsgId>
      <OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>SABR-20240501-000018</OrgnlMsgId>
      <OrgnlMsgNmId>pacs.009.001.08</OrgnlMsgNmId>
    </OrgnlGrpInfAndSts>
    <TxInfAndSts>
      <StsId>STS-1</StsId>
      <OrgnlInstrId>INSTR-17</OrgnlInstrId>
      <OrgnlEndToEndId>ИНВ-2024/05-77</OrgnlEndToEndId>
      <OrgnlTxId>TX-000017</OrgnlTxId>
      <OrgnlUETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</OrgnlUETR>
      <TxSts>ACSC</TxSts>
      <AccptncDtTm>2024-05-01T11:01:59.5+03:30</AccptncDtTm>
      <InstgAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></InstgAgt>
      <InstdAgt><FinInstnId><BICFI>SABRRUMMXXX</BICFI></FinInstnId></InstdAgt>
    </TxInfAndSts>
    <TxInfAndSts>
      <StsId>STS-2</StsId>
      <OrgnlEndToEndId>ИНВ-2024/05-78</OrgnlEndToEndId>
      <OrgnlUETR>3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b</OrgnlUETR>
      <TxSts>RJCT</TxSts>
      <StsRsnInf>
        <Rsn><Cd>AC04</Cd></Rsn>
        <AddtlInf>حساب بسته شده است</AddtlInf>
        <AddtlInf>Счёт получателя закрыт &amp; не может быть зачислен</AddtlInf>
      </StsRsnInf>
      <StsRsnInf>
        <Rsn><Cd>RR04</Cd></Rsn>
      </StsRsnInf>
    </TxInfAndSts>
    <TxInfAndSts>
      <OrgnlEndToEndId>NOTPROVIDED</OrgnlEndToEndId>
      <TxSts>PDNG</TxSts>
      <StsRsnInf/>
    </TxInfAndSts>
  </FIToFIPmtStsRpt>
</Document>
"#;

/// Moscow's bank covers a customer transfer to Tehran through a correspondent (the cover
/// variant, with the underlying customer transfer), then settles a treasury transfer of
/// its own in IRR.
pub const PACS009: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08">
  <FICdtTrf>
    <GrpHdr>
      <MsgId>SABR-COV-20240501-0003</MsgId>
      <CreDtTm>2024-05-01T09:31:00+03:00</CreDtTm>
      <NbOfTxs>2</NbOfTxs>
      <TtlIntrBkSttlmAmt Ccy="RUB">11500000.00</TtlIntrBkSttlmAmt>
      <SttlmInf>
        <SttlmMtd>COVE</SttlmMtd>
      </SttlmInf>
    </GrpHdr>
    <CdtTrfTxInf>
      <PmtId>
        <InstrId>COV-17</InstrId>
        <EndToEndId>ИНВ-2024/05-77</EndToEndId>
        <TxId>TX-COV-000017</TxId>
        <UETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</UETR>
      </PmtId>
      <PmtTpInf>
        <InstrPrty>NORM</InstrPrty>
      </PmtTpInf>
      <IntrBkSttlmAmt Ccy="RUB">11500000.00</IntrBkSttlmAmt>
      <IntrBkSttlmDt>2024-05-01</IntrBkSttlmDt>
      <InstgAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></InstgAgt>
      <InstdAgt><FinInstnId><BICFI>VTBRRUMM</BICFI></FinInstnId></InstdAgt>
      <Dbtr><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></Dbtr>
      <DbtrAcct><Id><Othr><Id>30111810100000000017</Id></Othr></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>SABRRUMMXXX</BICFI></FinInstnId></DbtrAgt>
      <CdtrAgt><FinInstnId><BICFI>VTBRRUMM</BICFI></FinInstnId></CdtrAgt>
      <Cdtr><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></Cdtr>
      <CdtrAcct><Id><Othr><Id>30111810400000000042</Id></Othr></Id></CdtrAcct>
      <RmtInf>
        <Ustrd>/BNF/покрытие ИНВ-2024/05-77</Ustrd>
      </RmtInf>
      <UndrlygCstmrCdtTrf>
        <UltmtDbtr>
          <Nm>АО «Северный Холдинг»</Nm>
        </UltmtDbtr>
        <Dbtr>
          <Nm>ООО «Ромашка» &amp; партнёры</Nm>
          <PstlAdr>
            <TwnNm>Москва</TwnNm>
            <Ctry>RU</Ctry>
          </PstlAdr>
        </Dbtr>
        <DbtrAcct><Id><Othr><Id>40702810938000012345</Id></Othr></Id></DbtrAcct>
        <DbtrAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></DbtrAgt>
        <CdtrAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></CdtrAgt>
        <Cdtr>
          <Nm>شرکت بازرگانی آریا پارس</Nm>
          <PstlAdr>
            <TwnNm>تهران</TwnNm>
            <Ctry>IR</Ctry>
          </PstlAdr>
        </Cdtr>
        <CdtrAcct><Id><IBAN>IR062960000000100324200001</IBAN></Id></CdtrAcct>
        <UltmtCdtr>
          <Nm>محمد رضا احمدی</Nm>
        </UltmtCdtr>
        <RmtInf>
          <Ustrd>Оплата по контракту № 17/2024</Ustrd>
          <Ustrd>پرداخت فاکتور شماره ۴۵۶</Ustrd>
        </RmtInf>
        <InstdAmt Ccy="IRR">5750000000</InstdAmt>
      </UndrlygCstmrCdtTrf>
    </CdtTrfTxInf>
    <CdtTrfTxInf>
      <PmtId>
        <EndToEndId>TREASURY-0501</EndToEndId>
      </PmtId>
      <IntrBkSttlmAmt Ccy="IRR">250000000000</IntrBkSttlmAmt>
      <Dbtr><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></Dbtr>
      <Cdtr><FinInstnId/></Cdtr>
    </CdtTrfTxInf>
  </FICdtTrf>
</Document>
"#;

/// Tehran's bank returns the Moscow transfer to a closed account, less its charges, and an
/// IRR transfer it cannot apply.
pub const PACS004: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.004.001.09">
  <PmtRtr>
    <GrpHdr>
      <MsgId>BMJI-RTR-20240502-0005</MsgId>
      <CreDtTm>2024-05-02T08:15:00Z</CreDtTm>
      <NbOfTxs>2</NbOfTxs>
      <SttlmInf>
        <SttlmMtd>INDA</SttlmMtd>
      </SttlmInf>
    </GrpHdr>
    <TxInf>
      <RtrId>RTR-0005-1</RtrId>
      <OrgnlInstrId>INSTR-17</OrgnlInstrId>
      <OrgnlEndToEndId>ИНВ-2024/05-77</OrgnlEndToEndId>
      <OrgnlTxId>TX-000017</OrgnlTxId>
      <OrgnlUETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</OrgnlUETR>
      <RtrdIntrBkSttlmAmt Ccy="RUB">11499000.00</RtrdIntrBkSttlmAmt>
      <IntrBkSttlmDt>2024-05-02</IntrBkSttlmDt>
      <ChrgBr>CRED</ChrgBr>
      <InstgAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></InstgAgt>
      <InstdAgt><FinInstnId><BICFI>SABRRUMMXXX</BICFI></FinInstnId></InstdAgt>
      <RtrRsnInf>
        <Rsn><Cd>AC04</Cd></Rsn>
        <AddtlInf>حساب شرکت آریا پارس بسته شده است</AddtlInf>
        <AddtlInf>Счёт закрыт, средства возвращены за вычетом комиссии</AddtlInf>
      </RtrRsnInf>
    </TxInf>
    <TxInf>
      <RtrdIntrBkSttlmAmt Ccy="IRR">4200000000</RtrdIntrBkSttlmAmt>
      <RtrRsnInf>
        <AddtlInf>نام ذینفع با حساب مطابقت ندارد</AddtlInf>
      </RtrRsnInf>
      <RtrRsnInf>
        <Rsn><Cd>BE04</Cd></Rsn>
      </RtrRsnInf>
    </TxInf>
  </PmtRtr>
</Document>
"#;

/// Moscow's bank asks Tehran's to cancel a duplicated transfer and one sent by mistake,
/// in two underlying groups, the second without transactions.
pub const CAMT056: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.056.001.08">
  <FIToFIPmtCxlReq>
    <Assgnmt>
      <Id>SABR-CXL-20240501-0009</Id>
      <Assgnr><Agt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></Agt></Assgnr>
      <Assgne><Agt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></Agt></Assgne>
      <CreDtTm>2024-05-01T12:40:00.000+03:00</CreDtTm>
    </Assgnmt>
    <Undrlyg>
      <TxInf>
        <CxlId>CXL-0009-1</CxlId>
        <OrgnlInstrId>INSTR-17</OrgnlInstrId>
        <OrgnlEndToEndId>ИНВ-2024/05-77</OrgnlEndToEndId>
        <OrgnlTxId>TX-000017</OrgnlTxId>
        <OrgnlUETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</OrgnlUETR>
        <OrgnlIntrBkSttlmAmt Ccy="RUB">11500000.00</OrgnlIntrBkSttlmAmt>
        <OrgnlIntrBkSttlmDt>2024-05-01</OrgnlIntrBkSttlmDt>
        <CxlRsnInf>
          <Rsn><Cd>DUPL</Cd></Rsn>
          <AddtlInf>Платёж отправлен дважды &lt;повтор&gt;</AddtlInf>
        </CxlRsnInf>
      </TxInf>
      <TxInf>
        <OrgnlUETR>3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b</OrgnlUETR>
        <OrgnlIntrBkSttlmAmt Ccy="IRR">4200000000</OrgnlIntrBkSttlmAmt>
        <CxlRsnInf>
          <Rsn><Cd>CUST</Cd></Rsn>
          <AddtlInf>درخواست لغو از طرف مشتری</AddtlInf>
        </CxlRsnInf>
        <CxlRsnInf/>
      </TxInf>
    </Undrlyg>
    <Undrlyg/>
  </FIToFIPmtCxlReq>
</Document>
"#;

/// A business application header for [`FULL_PACS008`].
pub const APP_HDR: &str = r#"<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
  <Fr><FIId><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></FIId></Fr>
  <To><FIId><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></FIId></To>
  <BizMsgIdr>SABR-20240501-000017</BizMsgIdr>
  <MsgDefIdr>pacs.008.001.08</MsgDefIdr>
  <BizSvc>swift.cbprplus.02</BizSvc>
  <CreDt>2024-05-01T09:30:15Z</CreDt>
</AppHdr>"#;

/// `AppHdr` + `Document` pairs inside a wrapper, as a file of several messages carries them.
pub fn envelope(pairs: &[(&str, &str)]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BizMsgEnvlp>\n");
    for (header, document) in pairs {
        xml.push_str("<Message>\n");
        xml.push_str(header);
        xml.push('\n');
        xml.push_str(document.trim_start_matches(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
        xml.push_str("</Message>\n");
    }
    xml.push_str("</BizMsgEnvlp>\n");
    xml
}

/// `CORRIDOR_ISO20022_XSD_DIR`, else the repository's own copy in `schemas/iso20022`. Panics
/// with the place it looked if it does not exist: a schema test must never pass without schemas.
pub fn xsd_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CORRIDOR_ISO20022_XSD_DIR") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.is_dir(),
            "CORRIDOR_ISO20022_XSD_DIR={} is not a directory",
            dir.display()
        );
        return dir;
    }
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = workspace.join("schemas/iso20022");
    assert!(
        dir.is_dir(),
        "ISO 20022 XSDs not found: set CORRIDOR_ISO20022_XSD_DIR or provide {}",
        dir.display()
    );
    dir
}

/// Runs `xmllint --noout --schema` on `xml`; panics with xmllint's complaint and the XML.
pub fn assert_valid(xml: &str, schema: &str) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("message.xml");
    std::fs::write(&file, xml).expect("write message");
    let schema = xsd_dir().join(schema);
    assert!(schema.is_file(), "{} is missing", schema.display());
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint must be installed (Debian package libxml2-utils)");
    assert!(
        output.status.success(),
        "xmllint rejects the output against {}:\n{}\n{xml}",
        schema.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A settlement time request with all four times in the XSD's order (`CLSTm`, `TillTm`,
/// `FrTm`, `RjctTm`), each in another form `ISOTime` allows: the CLS deadline in Central
/// European Time, a window from 09:00 UTC to a quarter to five in Tehran, a local
/// rejection time.
pub const SETTLEMENT_TIME_REQUEST: &str = "<SttlmTmReq><CLSTm>07:00:00+01:00</CLSTm>\
<TillTm>16:45:30.125+03:30</TillTm><FrTm>09:00:00Z</FrTm><RjctTm>17:00:00</RjctTm></SttlmTmReq>";

/// `xml` with `inserted` right after the first `IntrBkSttlmDt`: where `SttlmTmReq` belongs
/// in a transaction of pacs.008 or pacs.009 that has neither `SttlmPrty` nor
/// `SttlmTmIndctn`.
pub fn after_settlement_date(xml: &str, inserted: &str) -> String {
    let end = "</IntrBkSttlmDt>";
    let at = xml.find(end).expect("an IntrBkSttlmDt") + end.len();
    format!("{}{inserted}{}", &xml[..at], &xml[at..])
}

/// `xml` as written by the crate, without its indentation: one line, tags side by side.
pub fn unindented(xml: &str) -> String {
    xml.lines().map(str::trim).collect()
}

/// The hub notifies Moscow's bank of two moves on its RUB settlement account: liquidity in
/// from its nostro, and the cover payment to Tehran's bank out.
pub const CAMT054: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>CORR-NTF-20240501-0101</MsgId>
      <CreDtTm>2024-05-01T09:31:05.120Z</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>NTF-0101</Id>
      <ElctrncSeqNb>101</ElctrncSeqNb>
      <CreDtTm>2024-05-01T09:31:05Z</CreDtTm>
      <Acct>
        <Id><Othr><Id>CORR-SETTLE-SABRRUMM-RUB</Id></Othr></Id>
        <Ccy>RUB</Ccy>
        <Ownr><Nm>ПАО «Сбербанк» &amp; Co</Nm></Ownr>
        <Svcr><FinInstnId><BICFI>CORRXXHUXXX</BICFI></FinInstnId></Svcr>
      </Acct>
      <TxsSummry>
        <TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>50000000.00</Sum></TtlCdtNtries>
        <TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>11500000.00</Sum></TtlDbtNtries>
      </TxsSummry>
      <Ntry>
        <NtryRef>LQ-0001</NtryRef>
        <Amt Ccy="RUB">50000000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><DtTm>2024-05-01T09:00:00Z</DtTm></BookgDt>
        <ValDt><Dt>2024-05-01</Dt></ValDt>
        <AcctSvcrRef>CORR-LQ-0001</AcctSvcrRef>
        <BkTxCd><Prtry><Cd>LIQUIDITY-IN</Cd><Issr>CORRIDOR</Issr></Prtry></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><MsgId>SABR-LQ-0501</MsgId></Refs>
            <RltdPties>
              <Dbtr><Agt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></Agt></Dbtr>
              <DbtrAcct><Id><Othr><Id>30110810000000000001</Id></Othr></Id></DbtrAcct>
            </RltdPties>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="RUB">11500000.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2024-05-01</Dt></BookgDt>
        <BkTxCd>
          <Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>XBCT</SubFmlyCd></Fmly></Domn>
          <Prtry><Cd>PACS009-COVE</Cd></Prtry>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <MsgId>SABR-COV-20240501-0003</MsgId>
              <AcctSvcrRef>CORR-TX-000017</AcctSvcrRef>
              <InstrId>COV-17</InstrId>
              <EndToEndId>ИНВ-2024/05-77</EndToEndId>
              <UETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</UETR>
              <TxId>TX-COV-000017</TxId>
            </Refs>
            <Amt Ccy="RUB">11500000.00</Amt>
            <CdtDbtInd>DBIT</CdtDbtInd>
            <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>XBCT</SubFmlyCd></Fmly></Domn></BkTxCd>
            <RltdPties>
              <Dbtr><Pty><Nm>ООО «Ромашка»</Nm><PstlAdr><TwnNm>Москва</TwnNm><Ctry>RU</Ctry></PstlAdr></Pty></Dbtr>
              <DbtrAcct><Id><Othr><Id>40702810938000012345</Id></Othr></Id></DbtrAcct>
              <Cdtr><Pty><Nm>شرکت بازرگانی آریا پارس</Nm></Pty></Cdtr>
              <CdtrAcct><Id><IBAN>IR062960000000100324200001</IBAN></Id></CdtrAcct>
            </RltdPties>
            <RltdAgts>
              <DbtrAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></DbtrAgt>
              <CdtrAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></CdtrAgt>
            </RltdAgts>
            <RmtInf><Ustrd>Оплата по контракту № 17/2024</Ustrd><Ustrd>پرداخت فاکتور ۴۵۶</Ustrd></RmtInf>
            <AddtlTxInf>покрытие &lt;COVE&gt;</AddtlTxInf>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>Settled in the 09:30 cycle</AddtlNtryInf>
      </Ntry>
      <AddtlNtfctnInf>Notification of settlement account moves</AddtlNtfctnInf>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
"#;

/// The hub's end-of-day statement of Moscow's bank's RUB settlement account: opening and
/// closing booked balances, the totals, and one entry; a second statement for an account
/// with no moves.
pub const CAMT053: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>CORR-STMT-20240501-SABR</MsgId>
      <CreDtTm>2024-05-01T23:59:59+03:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>STMT-20240501-RUB</Id>
      <ElctrncSeqNb>121</ElctrncSeqNb>
      <CreDtTm>2024-05-01T23:59:59+03:00</CreDtTm>
      <Acct>
        <Id><Othr><Id>CORR-SETTLE-SABRRUMM-RUB</Id></Othr></Id>
        <Ccy>RUB</Ccy>
        <Svcr><FinInstnId><BICFI>CORRXXHU</BICFI></FinInstnId></Svcr>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="RUB">1000000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2024-05-01</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="RUB">10500000.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Dt><DtTm>2024-05-01T23:59:59+03:00</DtTm></Dt>
      </Bal>
      <TxsSummry>
        <TtlNtries>
          <NbOfNtries>1</NbOfNtries>
          <Sum>11500000.00</Sum>
          <TtlNetNtry><Amt>11500000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></TtlNetNtry>
        </TtlNtries>
        <TtlDbtNtries><NbOfNtries>1</NbOfNtries></TtlDbtNtries>
      </TxsSummry>
      <Ntry>
        <NtryRef>1</NtryRef>
        <Amt Ccy="RUB">11500000.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2024-05-01</Dt></BookgDt>
        <ValDt><Dt>2024-05-01</Dt></ValDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>XBCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><UETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</UETR></Refs>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <AddtlStmtInf>Конец дня</AddtlStmtInf>
    </Stmt>
    <Stmt>
      <Id>STMT-20240501-IRR</Id>
      <Acct><Id><Othr><Id>CORR-SETTLE-SABRRUMM-IRR</Id></Othr></Id></Acct>
      <Bal>
        <Tp><CdOrPrtry><Prtry>CORRIDOR-CLOSING</Prtry></CdOrPrtry></Tp>
        <Amt Ccy="IRR">0</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2024-05-01</Dt></Dt>
      </Bal>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#;

/// An intraday report: an interim balance and a pending entry; a second report with
/// neither balance nor entry.
pub const CAMT052: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08">
  <BkToCstmrAcctRpt>
    <GrpHdr>
      <MsgId>CORR-RPT-20240501-1200</MsgId>
      <CreDtTm>2024-05-01T12:00:00Z</CreDtTm>
    </GrpHdr>
    <Rpt>
      <Id>RPT-1200</Id>
      <Acct><Id><IBAN>IR062960000000100324200001</IBAN></Id><Ccy>IRR</Ccy></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>ITBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="IRR">5750000000</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><DtTm>2024-05-01T12:00:00Z</DtTm></Dt>
      </Bal>
      <Ntry>
        <Amt Ccy="IRR">4200000000</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Prtry>QUEUED</Prtry></Sts>
        <BkTxCd/>
        <NtryDtls/>
      </Ntry>
    </Rpt>
    <Rpt>
      <Id>RPT-1200-2</Id>
      <Acct><Id><Othr><Id>CORR-SETTLE-BMJIIRTH-IRR</Id></Othr></Id></Acct>
    </Rpt>
  </BkToCstmrAcctRpt>
</Document>
"#;

/// Tehran's bank answers Moscow's cancellation request ([`CAMT056`]): the duplicate is
/// cancelled, the other refused because the funds are already credited.
pub const CAMT029: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.029.001.09">
  <RsltnOfInvstgtn>
    <Assgnmt>
      <Id>BMJI-RSL-20240501-0004</Id>
      <Assgnr><Agt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></Agt></Assgnr>
      <Assgne><Agt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></Agt></Assgne>
      <CreDtTm>2024-05-01T14:05:00+03:30</CreDtTm>
    </Assgnmt>
    <Sts><Conf>PECR</Conf></Sts>
    <CxlDtls>
      <TxInfAndSts>
        <CxlStsId>RSL-0004-1</CxlStsId>
        <OrgnlInstrId>INSTR-17</OrgnlInstrId>
        <OrgnlEndToEndId>ИНВ-2024/05-77</OrgnlEndToEndId>
        <OrgnlTxId>TX-000017</OrgnlTxId>
        <OrgnlUETR>eb6305c9-1f7f-49de-aed0-16487c27b42d</OrgnlUETR>
        <TxCxlSts>ACCR</TxCxlSts>
      </TxInfAndSts>
      <TxInfAndSts>
        <OrgnlUETR>3a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b</OrgnlUETR>
        <TxCxlSts>RJCR</TxCxlSts>
        <CxlStsRsnInf>
          <Rsn><Cd>ARDT</Cd></Rsn>
          <AddtlInf>وجه به حساب ذینفع واریز شده است</AddtlInf>
          <AddtlInf>Средства уже зачислены &lt;возврат невозможен&gt;</AddtlInf>
        </CxlStsRsnInf>
        <CxlStsRsnInf/>
      </TxInfAndSts>
    </CxlDtls>
    <CxlDtls/>
  </RsltnOfInvstgtn>
</Document>
"#;

/// Moscow's bank moves liquidity from its settlement account to Tehran's bank's, with every
/// field the camt.050 model keeps.
pub const CAMT050: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.050.001.05">
  <LqdtyCdtTrf>
    <MsgHdr>
      <MsgId>SABR-LQT-20240501-0001</MsgId>
      <CreDtTm>2024-05-01T08:00:00+03:00</CreDtTm>
    </MsgHdr>
    <LqdtyCdtTrf>
      <LqdtyTrfId>
        <InstrId>LQT-1</InstrId>
        <EndToEndId>ЛИКВ-2024/05-01</EndToEndId>
        <TxId>TX-LQT-1</TxId>
        <UETR>7c1b2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b</UETR>
      </LqdtyTrfId>
      <Cdtr><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></Cdtr>
      <CdtrAcct><Id><Othr><Id>30111810400000000042</Id></Othr></Id></CdtrAcct>
      <TrfdAmt>
        <AmtWthCcy Ccy="RUB">50000000.00</AmtWthCcy>
      </TrfdAmt>
      <Dbtr><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></Dbtr>
      <DbtrAcct><Id><Othr><Id>30111810100000000017</Id></Othr></Id></DbtrAcct>
      <SttlmDt>2024-05-01</SttlmDt>
    </LqdtyCdtTrf>
  </LqdtyCdtTrf>
</Document>
"#;

/// A Moscow importer asks its bank for three transfers to Tehran and Frankfurt in two payment
/// instructions, with every field the pain.001 model keeps, Cyrillic and Persian names and
/// text that needs escaping. The control sums add RUB, IRR and EUR alike, as ISO defines them.
pub const PAIN001: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>ВОСТОК-2024-05-01-0042</MsgId>
      <CreDtTm>2024-05-01T09:05:00+03:00</CreDtTm>
      <NbOfTxs>3</NbOfTxs>
      <CtrlSum>4325980.75</CtrlSum>
      <InitgPty>
        <Nm>ООО «Восток Импорт»</Nm>
        <Id><OrgId><LEI>253400ABCDEFGHIJ1234</LEI></OrgId></Id>
      </InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>ПЛТ-2024-05-01/1</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <BtchBookg>false</BtchBookg>
      <NbOfTxs>2</NbOfTxs>
      <CtrlSum>4325000.50</CtrlSum>
      <PmtTpInf><InstrPrty>NORM</InstrPrty></PmtTpInf>
      <ReqdExctnDt><Dt>2024-05-02</Dt></ReqdExctnDt>
      <Dbtr>
        <Nm>ООО «Восток Импорт»</Nm>
        <PstlAdr>
          <StrtNm>улица Тверская</StrtNm>
          <BldgNb>7</BldgNb>
          <PstCd>125009</PstCd>
          <TwnNm>Москва</TwnNm>
          <Ctry>RU</Ctry>
        </PstlAdr>
        <Id><OrgId><Othr><Id>7701234567</Id><SchmeNm><Cd>TXID</Cd></SchmeNm></Othr></OrgId></Id>
        <CtryOfRes>RU</CtryOfRes>
      </Dbtr>
      <DbtrAcct><Id><Othr><Id>40702810900000012345</Id></Othr></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></DbtrAgt>
      <UltmtDbtr><Nm>АО «Восток Холдинг»</Nm></UltmtDbtr>
      <ChrgBr>SHAR</ChrgBr>
      <CdtTrfTxInf>
        <PmtId>
          <InstrId>ВИ-1</InstrId>
          <EndToEndId>СЧЕТ-2024/117</EndToEndId>
          <UETR>3f2a9c1e-8b7d-4c6e-a5f4-0e1d2c3b4a59</UETR>
        </PmtId>
        <PmtTpInf><InstrPrty>HIGH</InstrPrty></PmtTpInf>
        <Amt><InstdAmt Ccy="RUB">125000.50</InstdAmt></Amt>
        <ChrgBr>DEBT</ChrgBr>
        <UltmtDbtr><Nm>Филиал «Восток-Юг»</Nm></UltmtDbtr>
        <CdtrAgt><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></CdtrAgt>
        <Cdtr>
          <Nm>شرکت بازرگانی پارس</Nm>
          <PstlAdr>
            <StrtNm>خیابان ولیعصر</StrtNm>
            <TwnNm>تهران</TwnNm>
            <Ctry>IR</Ctry>
            <AdrLine>پلاک ۱۲، طبقه ۳</AdrLine>
          </PstlAdr>
          <Id><OrgId><AnyBIC>PARSIRTH</AnyBIC></OrgId></Id>
        </Cdtr>
        <CdtrAcct><Id><IBAN>IR062960000000100324200001</IBAN></Id></CdtrAcct>
        <UltmtCdtr><Nm>مهدی رضایی</Nm></UltmtCdtr>
        <Purp><Cd>SUPP</Cd></Purp>
        <RmtInf>
          <Ustrd>پرداخت فاکتور ۱۱۷ &amp; حمل</Ustrd>
          <Ustrd>Счёт №117 &lt;оборудование&gt;</Ustrd>
        </RmtInf>
      </CdtTrfTxInf>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>СЧЕТ-2024/118</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="IRR">4200000</InstdAmt></Amt>
        <Cdtr><Nm>زهرا احمدی</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>IR040170000000234567890123</IBAN></Id></CdtrAcct>
      </CdtTrfTxInf>
    </PmtInf>
    <PmtInf>
      <PmtInfId>ПЛТ-2024-05-01/2</PmtInfId>
      <PmtMtd>TRA</PmtMtd>
      <BtchBookg>true</BtchBookg>
      <ReqdExctnDt><DtTm>2024-05-01T14:00:00+03:00</DtTm></ReqdExctnDt>
      <Dbtr><Nm>ООО «Восток Импорт»</Nm></Dbtr>
      <DbtrAcct><Id><Othr><Id>40702978500000054321</Id></Othr></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></DbtrAgt>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>INV-DE-2024-9</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="EUR">980.25</InstdAmt></Amt>
        <CdtrAgt><FinInstnId><BICFI>DEUTDEFF</BICFI></FinInstnId></CdtrAgt>
        <Cdtr><Nm>Müller Maschinenbau GmbH</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>
      </CdtTrfTxInf>
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
"#;

/// A business application header for [`PAIN001`]: the importer's bank passes it on to the hub.
pub const PAIN001_APP_HDR: &str = r#"<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
  <Fr><FIId><FinInstnId><BICFI>SABRRUMM</BICFI></FinInstnId></FIId></Fr>
  <To><FIId><FinInstnId><BICFI>BMJIIRTH</BICFI></FinInstnId></FIId></To>
  <BizMsgIdr>ВОСТОК-2024-05-01-0042</BizMsgIdr>
  <MsgDefIdr>pain.001.001.09</MsgDefIdr>
  <CreDt>2024-05-01T09:06:00Z</CreDt>
</AppHdr>"#;
