//! ISO 20022 messages for Corridor: detect the message type from the XML namespace, parse
//! into typed models, check them against the XSD's simple types, and serialize them back to
//! XML valid against the official schema. Pure: no I/O, no clock; the caller brings the
//! bytes and bounds their size.
//!
//! # Shapes of input
//!
//! [`parse`] accepts a bare `Document`, or one or many `AppHdr` (head.001.001.02) +
//! `Document` pairs inside any wrapper element (an envelope; lone `Document`s may sit there
//! too). The twelve [`MessageType`]s are recognised and all are modelled: pacs.008.001.08,
//! pacs.002.001.10, pacs.009.001.08, pacs.004.001.09, camt.056.001.08, camt.029.001.09,
//! camt.052.001.08, camt.053.001.08, camt.054.001.08, camt.050.001.05, pain.001.001.09 and
//! head.001.001.02. camt.052,
//! camt.053 and camt.054 share one model, [`AccountReport`]; they differ in `Bal`, optional
//! in camt.052, at least one in camt.053 and refused in camt.054. The [`mt`] module reads
//! and writes SWIFT FIN messages (MT103, MT202 and MT202COV) and translates them to and
//! from pacs.008 and pacs.009.
//!
//! # Two layers
//!
//! Parsing checks structure: well-formed XML, no DTD, nesting at most 48 deep, a known
//! namespace on the right root element, no element from another namespace, and the
//! required elements of the model, each missing one named by its path (`CH21`). It does
//! not check element order or reject elements the model does not know; it keeps text
//! exactly as written, so `100.00` stays `100.00`.
//!
//! `validate` (on each message model, [`BusinessApplicationHeader`], [`Document`] and
//! [`Message`]) is the first validation layer: lengths in characters (`Max35Text` ...),
//! the patterns of BIC, UETR, IBAN, LEI, currency and country codes, amounts (digits, at
//! most 5 fraction and 18 in all), real dates and times, no control or invisible
//! characters. It is at least as strict as the XSD for every field it checks, so a model
//! that passes it serializes to XML the XSD accepts.
//!
//! `check_business_rules` (on each message model, [`BusinessApplicationHeader`],
//! [`Document`] and [`Message`]) is the second layer, run on what passed the first: what
//! the message means, against a [`BusinessContext`] the caller builds (the business date,
//! how many days ahead settlement may lie, the currencies the scheme settles and their
//! decimal places), since the crate reads no clock. It checks that every amount is in a
//! currency the scheme settles (`AM03`), has no more decimals than that currency
//! (`CH20`) and is above zero (`AM01`); that `IntrBkSttlmDt` lies from the business date
//! to the last day allowed (`DT01`); that every BIC names an ISO 3166 country (`RC01`);
//! that every IBAN has its country's registered length and mod-97 check digits (`AC01`);
//! that `NbOfTxs` counts the transactions (`AM18`) and `TtlIntrBkSttlmAmt` is their sum
//! (`AM10`) in their one currency (`AM11`); that in pain.001 the `NbOfTxs` of the group
//! and of each `PmtInf` count their transactions (`AM18`), each `CtrlSum` is the exact sum
//! of their `InstdAmt` whatever the currencies (`AM10`) and `ReqdExctnDt` lies in the
//! settlement window (`DT01`); that an `AppHdr` names the document's type
//! (`FF01`), repeats its message identification (`CH16`) and has well-formed `Fr`/`To`
//! BICs; that a UETR, where present, is a lowercase UUID version 4 (`CH16`). It also
//! applies CBPR+ usage rules to pacs.008 and pacs.009: one transaction per message
//! (`AM18`), a `UETR` and an `IntrBkSttlmDt` on each (`CH21`), and no `SLEV` charge
//! bearer in pacs.008 (`BE19`). Known participants and sanctions are the hub's business.
//!
//! # What the pacs.008.001.08 model does not keep
//!
//! A message read and written again loses these; everything else listed in
//! [`FIToFICstmrCdtTrf`] survives unchanged.
//!
//! - `GrpHdr`: `BtchBookg`, `CtrlSum`, `IntrBkSttlmDt`, `PmtTpInf`, and in `SttlmInf` everything but `SttlmMtd` (`SttlmAcct`, `ClrSys`, reimbursement
//!   agents and their accounts).
//! - `CdtTrfTxInf`: `PmtId/ClrSysRef`; `PmtTpInf` except `InstrPrty` (`ClrChanl`,
//!   `SvcLvl`, `LclInstrm`, `CtgyPurp`); `SttlmPrty`, `SttlmTmIndctn`, `AccptncDtTm`,
//!   `PoolgAdjstmntDt`, `ChrgsInf`, `PrvsInstgAgt1..3` and their
//!   accounts, `IntrmyAgt1..3` and their accounts, `InitgPty`, `DbtrAgtAcct`,
//!   `CdtrAgtAcct`, `InstrForCdtrAgt`, `Purp/Prtry`, `RgltryRptg`, `Tax`,
//!   `RltdRmtInf`, `RmtInf/Strd`, `SplmtryData`. `SttlmTmReq` is kept whole
//!   ([`SettlementTimeRequest`]: `CLSTm`, `TillTm`, `FrTm`, `RjctTm`, each time as
//!   written), an empty one included.
//! - Agents (`BranchAndFinancialInstitutionIdentification6`): everything but
//!   `FinInstnId/BICFI` (`ClrSysMmbId`, `LEI`, `Nm`, `PstlAdr`, `Othr`, `BrnchId`).
//! - Parties (`PartyIdentification135`): `Id/PrvtId`, `CtctDtls`; in `PstlAdr`: `AdrTp`,
//!   `Dept`, `SubDept`, `BldgNm`, `Flr`, `PstBx`, `Room`, `TwnLctnNm`, `DstrctNm`,
//!   `CtrySubDvsn`; in `OrgId/Othr`: `SchmeNm/Prtry`.
//! - Accounts (`CashAccount38`): `Tp`, `Ccy`, `Nm`, `Prxy`, and in `Id/Othr`: `SchmeNm`,
//!   `Issr`.
//! - `FIToFICstmrCdtTrf/SplmtryData`.
//!
//! # What the other models do not keep
//!
//! - Agents, parties and accounts lose what they lose in pacs.008, above.
//! - Reasons (`StsRsnInf`, `RtrRsnInf`, `CxlRsnInf`, `CxlStsRsnInf`): `Orgtr`, `Rsn/Prtry`.
//! - pacs.002.001.10: in `GrpHdr`, `InstgAgt` and `InstdAgt`; in `OrgnlGrpInfAndSts`,
//!   `OrgnlCreDtTm`, `OrgnlNbOfTxs`, `OrgnlCtrlSum`, `StsRsnInf`, `NbOfTxsPerSts`; in
//!   `TxInfAndSts`, `OrgnlGrpInf`, `ChrgsInf`, `FctvIntrBkSttlmDt`, `AcctSvcrRef`,
//!   `ClrSysRef`, `OrgnlTxRef`, `SplmtryData`; `FIToFIPmtStsRpt/SplmtryData`.
//! - pacs.009.001.08: `GrpHdr` loses what it loses in pacs.008; in `CdtTrfTxInf`,
//!   `PmtId/ClrSysRef`, `PmtTpInf` except `InstrPrty`, `SttlmPrty`, `SttlmTmIndctn`,
//!   `PrvsInstgAgt1..3`, `IntrmyAgt1..3` and their accounts, `UltmtDbtr`, `DbtrAgtAcct`,
//!   `CdtrAgtAcct`, `UltmtCdtr`, `InstrForCdtrAgt`, `InstrForNxtAgt`, `Purp`,
//!   `SplmtryData`; in `UndrlygCstmrCdtTrf`, `InitgPty`, `DbtrAgtAcct`, `PrvsInstgAgt1..3`,
//!   `IntrmyAgt1..3` and their accounts, `CdtrAgtAcct`, `InstrForCdtrAgt`,
//!   `InstrForNxtAgt`, `Tax`, `RmtInf/Strd`; `FICdtTrf/SplmtryData`. `SttlmTmReq` is kept
//!   whole, as in pacs.008.
//! - pacs.004.001.09: in `GrpHdr`, `Authstn`, `BtchBookg`, `CtrlSum`, `GrpRtr`,
//!   `TtlRtrdIntrBkSttlmAmt`, `IntrBkSttlmDt`, `InstgAgt`, `InstdAgt`, and in `SttlmInf`
//!   everything but `SttlmMtd`; `OrgnlGrpInf`; in `TxInf`, `OrgnlGrpInf`, `OrgnlClrSysRef`,
//!   `OrgnlIntrBkSttlmAmt`, `OrgnlIntrBkSttlmDt`, `SttlmPrty`, `SttlmTmIndctn`,
//!   `RtrdInstdAmt`, `XchgRate`, `CompstnAmt`, `ChrgsInf`, `ClrSysRef`, `RtrChain`,
//!   `OrgnlTxRef`, `SplmtryData`; `PmtRtr/SplmtryData`.
//! - camt.056.001.08: `Assgnr` and `Assgne` only as `Agt` (a `Pty` is refused as a missing
//!   `Agt`); `Case`, `CtrlData`; in `Undrlyg`, `OrgnlGrpInfAndCxl`; in `TxInf`, `Case`,
//!   `OrgnlGrpInf`, `OrgnlClrSysRef`, `Assgnr`, `Assgne`, `OrgnlTxRef`, `SplmtryData`;
//!   `FIToFIPmtCxlReq/SplmtryData`.
//! - camt.029.001.09: `Assgnmt` as in camt.056; `RslvdCase`; `Sts` only as `Conf` (a
//!   `RjctdMod`, `DplctOf` or `AssgnmtCxlConf` is refused as a missing `Conf`); `ModDtls`,
//!   `ClmNonRctDtls`, `StmtDtls`, `CrrctnTx`, `RsltnRltdInf`, `SplmtryData`; in `CxlDtls`,
//!   `OrgnlGrpInfAndSts` and `OrgnlPmtInfAndSts`; in `TxInfAndSts`, `RslvdCase`,
//!   `OrgnlGrpInf`, `OrgnlClrSysRef`, `RsltnRltdInf`, `OrgnlIntrBkSttlmAmt`,
//!   `OrgnlIntrBkSttlmDt`, `Assgnr`, `Assgne`, `OrgnlTxRef`.
//! - camt.052.001.08, camt.053.001.08 and camt.054.001.08: in `GrpHdr`, `MsgRcpt`,
//!   `MsgPgntn`, `OrgnlBizQry`, `AddtlInf`; in `Rpt`, `Stmt` and `Ntfctn`, the pagination
//!   (`RptPgntn`, `StmtPgntn`, `NtfctnPgntn`), `RptgSeq`, `LglSeqNb`, `FrToDt`,
//!   `CpyDplctInd`, `RptgSrc`, `RltdAcct`, `Intrst`; in `Acct`, `Tp`, `Nm`, `Prxy`; in
//!   `Bal`, `Tp/SubTp`, `CdtLine`, `Avlbty`; in `TxsSummry`, `TtlNtriesPerBkTxCd`; in
//!   `Ntry`, `RvslInd`, `Avlbty`, `ComssnWvrInd`, `AddtlInfInd`, `AmtDtls`, `Chrgs`,
//!   `TechInptChanl`, `Intrst`, `CardTx`; in `NtryDtls`, `Btch`; in `TxDtls`, `AmtDtls`,
//!   `Avlbty`, `Chrgs`, `Intrst`, `LclInstrm`, `Purp`, `RltdRmtInf`, `RmtInf/Strd`,
//!   `RltdDts`, `RltdPric`, `RltdQties`, `FinInstrmId`, `Tax`, `RtrInf`, `CorpActn`,
//!   `SfkpgAcct`, `CshDpst`, `CardTx`, `SplmtryData`; in `Refs`, `PmtInfId`, `MndtId`,
//!   `ChqNb`, `ClrSysRef`, `AcctOwnrTxId`, `AcctSvcrTxId`, `MktInfrstrctrTxId`, `PrcgId`,
//!   `Prtry`; in `RltdPties`, `InitgPty`, `UltmtDbtr`, `UltmtCdtr`, `TradgPty`, `Prtry`; in
//!   `RltdAgts`, everything but `DbtrAgt` and `CdtrAgt`; `SplmtryData` of the message. The
//!   totals' `Sum` and `TtlNetNtry/Amt` are checked as amounts (no sign, at most 5 fraction
//!   digits), stricter than the XSD's `DecimalNumber`.
//! - camt.050.001.05: agents and accounts lose what they lose in pacs.008;
//!   `LqdtyCdtTrf/SplmtryData`.
//! - pain.001.001.09: in `GrpHdr`, `Authstn`, `FwdgAgt`; in `PmtInf`, `PmtTpInf` except
//!   `InstrPrty` (`SvcLvl`, `LclInstrm`, `CtgyPurp`), `PoolgAdjstmntDt`, `DbtrAgtAcct`,
//!   `InstrForDbtrAgt`, `ChrgsAcct`, `ChrgsAcctAgt`; in `CdtTrfTxInf`, `PmtTpInf` except
//!   `InstrPrty`, `XchgRateInf`, `ChqInstr`, `IntrmyAgt1..3` and their accounts,
//!   `CdtrAgtAcct`, `InstrForCdtrAgt`, `InstrForDbtrAgt`, `Purp/Prtry`, `RgltryRptg`, `Tax`,
//!   `RltdRmtInf`, `RmtInf/Strd`, `SplmtryData`; `CstmrCdtTrfInitn/SplmtryData`. `Cdtr`
//!   is required, though the XSD makes it optional: a transfer the hub routes names its
//!   creditor. `BtchBookg` keeps its value, not its spelling (`1` is written `true`);
//!   `CtrlSum` is checked as an amount (no sign, at most 5 fraction digits), stricter than
//!   the XSD's `DecimalNumber`.
//!
//! The head.001.001.02 model keeps `Fr` and `To` only as `FIId/FinInstnId/BICFI`: an
//! `OrgId` party, which the schema allows, is refused by the scheme's rule `CRDR-HEAD-1`
//! ([`RULE_PARTIES_ARE_INSTITUTIONS`], `RC01`, named in the error): a message comes from
//! and goes to a participant, a financial institution. The model does not keep `CharSet`, `MktPrctc`,
//! `BizPrcgDt`, `CpyDplct`, `PssblDplct`, `Prty`, `Sgntr` or `Rltd`.
//!
//! Every error carries an ISO 20022 reason code ([`ReasonCode`]): `FF02` for input that is
//! not well-formed XML, `FF01` for an unknown or misplaced message and for fields that break
//! their format, `CH21` for a missing element, `RC01` for a BIC, `AM12` for an amount, and
//! so on.

mod camt029;
mod camt050;
mod camt056;
mod camt_report;
mod check;
mod codes;
mod components;
mod envelope;
mod error;
/// Only with the `fuzzing` feature: for the fuzz targets and the corpus replay test.
#[cfg(feature = "fuzzing")]
pub mod harness;
mod head001;
mod message_type;
pub mod mt;
mod pacs002;
mod pacs004;
mod pacs008;
mod pacs009;
mod pain001;
mod read;
mod reason;
mod rules;
mod tree;
mod writer;

pub use camt_report::{
    AccountReport, Balance, BankTransactionCode, BankTransactionDomain, BkToCstmrAcctRpt,
    BkToCstmrDbtCdtNtfctn, BkToCstmrStmt, CodeOrProprietary, DateOrDateTime, EntryDetails,
    EntryTotals, EntryTransaction, NetAmount, ProprietaryBankTransactionCode, ReportEntry,
    ReportGroupHeader, ReportedAccount, TotalEntries, TransactionAgents, TransactionParties,
    TransactionParty, TransactionReferences, TransactionsSummary,
};
pub use camt029::{CancellationDetails, CancellationStatusTransaction, RsltnOfInvstgtn};
pub use camt050::{LiquidityCreditTransfer, LqdtyCdtTrf, MessageHeader, TransferredAmount};
pub use camt056::{
    CancellationTransaction, CaseAssignment, FIToFIPmtCxlReq, UnderlyingTransaction,
};
pub use codes::{
    CancellationStatus, ChargeBearer, Code, CreditDebit, PaymentMethod, Priority, SettlementMethod,
};
pub use components::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, CashAccount,
    GenericOrganisationIdentification, OrganisationIdentification, OriginalIdentification,
    PartyIdentification, PostalAddress, ReasonInformation, SettlementTimeRequest,
};
pub use envelope::{Document, Message, normalize, parse, parse_bytes};
pub use error::{FieldError, FieldErrors, ParseError};
pub use head001::{BusinessApplicationHeader, RULE_PARTIES_ARE_INSTITUTIONS};
pub use message_type::MessageType;
pub use pacs002::{FIToFIPmtStsRpt, OriginalGroupStatus, TransactionStatus};
pub use pacs004::{PmtRtr, ReturnGroupHeader, ReturnTransaction};
pub use pacs008::{
    CreditTransferTransaction, FIToFICstmrCdtTrf, GroupHeader, InstructionForNextAgent,
    PaymentIdentification,
};
pub use pacs009::{FICdtTrf, FICreditTransferTransaction, UnderlyingCustomerCreditTransfer};
pub use pain001::{
    CstmrCdtTrfInitn, InitiationCreditTransfer, InitiationGroupHeader,
    InitiationPaymentIdentification, PaymentInstruction,
};
pub use reason::ReasonCode;
pub use rules::{BusinessContext, BusinessDate};
