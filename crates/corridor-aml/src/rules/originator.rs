//! (f) FATF Recommendation 16: a wire at or above the de minimis threshold must carry the
//! originator's name, account and identification and the beneficiary's name and account,
//! and the originator must be the holder of the account debited.

use super::scene::{Finding, Scene};
use crate::alert::RuleKind;
use crate::payment::{AccountNumber, OriginatorData, PartyRef};

pub fn check(scene: &Scene<'_>) -> Option<Finding> {
    let rule = &scene.rules.originator_data;
    let payment = scene.payment;
    if payment.amount < rule.de_minimis || (rule.cross_border_only && !payment.is_cross_border()) {
        return None;
    }
    let problems = deficiencies(&payment.originator, &payment.debtor);
    if problems.is_empty() {
        return None;
    }
    let detail = format!(
        "wire of {} from {} to {} at or above the de minimis {} (FATF R.16): {}",
        scene.money(payment.amount),
        payment.debtor_agent,
        payment.creditor_agent,
        scene.money(rule.de_minimis),
        problems.join("; "),
    );
    scene.unless_cited(Finding::new(
        RuleKind::OriginatorData,
        scene.debtor.clone(),
        vec![payment.payment_id],
        detail,
        0,
    ))
}

/// What is missing or contradicts the debited account, in the order R.16 lists the
/// information.
fn deficiencies(data: &OriginatorData, holder: &PartyRef) -> Vec<String> {
    let mut problems = Vec::new();
    match present_text(data.originator_name.as_deref()) {
        None => problems.push("originator name missing".to_owned()),
        Some(name) if name_tokens(name) != name_tokens(&holder.name) => problems.push(format!(
            "originator name {name:?} is not the account holder's name {:?}",
            holder.name
        )),
        Some(_) => {}
    }
    match present_account(data.originator_account.as_ref()) {
        None => problems.push("originator account missing".to_owned()),
        Some(account) if account.canonical() != holder.account.canonical() => {
            problems.push(format!(
                "originator account {:?} is not the account debited {:?}",
                number(account),
                number(&holder.account)
            ));
        }
        Some(_) => {}
    }
    let identified = data
        .originator_identification
        .as_ref()
        .is_some_and(|id| !id.is_blank());
    if !identified {
        problems.push(
            "originator address, national identity number, customer identification number or date and place of birth missing"
                .to_owned(),
        );
    }
    if present_text(data.beneficiary_name.as_deref()).is_none() {
        problems.push("beneficiary name missing".to_owned());
    }
    if present_account(data.beneficiary_account.as_ref()).is_none() {
        problems.push("beneficiary account missing".to_owned());
    }
    problems
}

fn present_text(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

fn present_account(account: Option<&AccountNumber>) -> Option<&AccountNumber> {
    account.filter(|a| !a.is_blank())
}

fn number(account: &AccountNumber) -> &str {
    match account {
        AccountNumber::Iban(text) | AccountNumber::Other(text) => text,
    }
}

/// A name as a sorted list of lower-case words, so "SMITH, John" and "John Smith" agree
/// while "John Smyth" does not.
fn name_tokens(name: &str) -> Vec<String> {
    let mut tokens: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    tokens.sort_unstable();
    tokens
}

#[cfg(test)]
mod tests {
    use super::name_tokens;

    #[test]
    fn word_order_case_and_punctuation_do_not_make_names_differ() {
        assert_eq!(name_tokens("SMITH, John"), name_tokens("john smith"));
        assert_eq!(
            name_tokens("Müller-Lüdenscheidt GmbH"),
            name_tokens("gmbh MÜLLER LÜDENSCHEIDT")
        );
        assert_ne!(name_tokens("John Smyth"), name_tokens("John Smith"));
    }
}
