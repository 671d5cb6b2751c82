use std::fmt;

/// The ISO 20022 `ExternalStatusReason1Code` an error maps to, so a status report (pacs.002)
/// can carry it unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReasonCode {
    /// AC01 IncorrectAccountNumber: an IBAN that breaks its pattern.
    Ac01,
    /// AM03 NotAllowedCurrency: a currency code that is not three upper-case letters, or one
    /// the scheme does not settle.
    Am03,
    /// AM12 InvalidAmount: an amount that is not an exact, non-negative decimal within the
    /// digits ISO 20022 allows.
    Am12,
    /// CH17 ElementNotAdmitted: an element that may appear once appears again.
    Ch17,
    /// CH21 RequiredCompulsoryElementMissing.
    Ch21,
    /// DT01 InvalidDate: a date or date-time that is not a real ISO 8601 instant.
    Dt01,
    /// FF01 InvalidFileFormat: a field breaks its length or pattern, or the message type is
    /// unknown or misplaced.
    Ff01,
    /// FF02 SyntaxError: the input is not well-formed XML.
    Ff02,
    /// RC01 BankIdentifierIncorrect: a BIC that breaks its pattern.
    Rc01,
    /// AM01 ZeroAmount: an amount that must be positive is zero.
    Am01,
    /// AM10 InvalidControlSum: a total that is not the sum of the transactions' amounts.
    Am10,
    /// AM11 InvalidTransactionCurrency: a transaction in another currency than its total.
    Am11,
    /// AM18 InvalidNumberOfTransactions: `NbOfTxs` differs from the transactions carried,
    /// or the scheme allows another number.
    Am18,
    /// BE19 InvalidChargeBearerCode: a charge bearer the scheme does not allow.
    Be19,
    /// CH16 ElementContentFormallyIncorrect: content that contradicts another element.
    Ch16,
    /// CH20 DecimalPointsNotCompatibleWithCurrency: more fraction digits than the currency's
    /// minor unit.
    Ch20,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Ac01 => "AC01",
            ReasonCode::Am03 => "AM03",
            ReasonCode::Am12 => "AM12",
            ReasonCode::Ch17 => "CH17",
            ReasonCode::Ch21 => "CH21",
            ReasonCode::Dt01 => "DT01",
            ReasonCode::Ff01 => "FF01",
            ReasonCode::Ff02 => "FF02",
            ReasonCode::Rc01 => "RC01",
            ReasonCode::Am01 => "AM01",
            ReasonCode::Am10 => "AM10",
            ReasonCode::Am11 => "AM11",
            ReasonCode::Am18 => "AM18",
            ReasonCode::Be19 => "BE19",
            ReasonCode::Ch16 => "CH16",
            ReasonCode::Ch20 => "CH20",
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
