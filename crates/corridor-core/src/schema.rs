//! OpenAPI schemas of the core types, written by hand because each is a validated string or
//! number whose rules the derive cannot see.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::{AccountId, Bic, CurrencyCode, Timestamp, TransferId, Uetr};

fn string(description: &str, pattern: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(Some(pattern))
        .examples([example])
        .into()
}

fn integer(description: &str, example: u64) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .description(Some(description))
        .examples([example])
        .into()
}

impl PartialSchema for Bic {
    fn schema() -> RefOr<Schema> {
        string(
            "ISO 9362 BIC, 8 or 11 characters; a branch code of XXX is the same as none",
            "^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$",
            "VOLGRUMM",
        )
    }
}
impl ToSchema for Bic {}

impl PartialSchema for CurrencyCode {
    fn schema() -> RefOr<Schema> {
        string("ISO 4217 alphabetic currency code", "^[A-Z]{3}$", "RUB")
    }
}
impl ToSchema for CurrencyCode {}

impl PartialSchema for Uetr {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom("uuid".into())))
            .description(Some(
                "Unique end-to-end transaction reference: a lowercase UUID version 4",
            ))
            .examples(["8a562c67-ca16-48ba-b074-65581be6f011"])
            .into()
    }
}
impl ToSchema for Uetr {}

impl PartialSchema for AccountId {
    fn schema() -> RefOr<Schema> {
        integer("Account id (128-bit, never 0)", 3)
    }
}
impl ToSchema for AccountId {}

impl PartialSchema for TransferId {
    fn schema() -> RefOr<Schema> {
        integer("Ledger transfer id (128-bit, never 0)", 17)
    }
}
impl ToSchema for TransferId {}

impl PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .description(Some("Engine time: nanoseconds since the Unix epoch, UTC"))
            .examples([1_795_460_432_120_836_717u64])
            .into()
    }
}
impl ToSchema for Timestamp {}
