//! Malformed, truncated, mistyped and hostile input ends in a typed error, never a panic.

mod common;

use common::{
    APP_HDR, CAMT056, FULL_PACS008, MINIMAL_PACS008, PACS002, PACS004, PACS008_NS, PACS009,
    envelope,
};
use corridor_iso20022::{ParseError, ReasonCode, parse, parse_bytes};

#[test]
fn malformed_xml_is_a_syntax_error() {
    for xml in [
        "",
        "   ",
        "not xml at all",
        "<Document>",
        "<Document></Documnt>",
        "<a><b></a></b>",
        "<Document xmlns=\"urn:x\" xmlns=\"urn:y\"/>",
        "<p:Document xmlns=\"urn:x\"/>",
        "<Document a=\"1\" a=\"2\"/>",
        "<Document>&unknown;</Document>",
        "<Document/><Document/>",
        "<Document/>trailing text",
    ] {
        let error = parse(xml).expect_err(xml);
        assert!(
            matches!(error, ParseError::Syntax { .. }),
            "{xml:?} gave {error:?}"
        );
        assert_eq!(error.reason_code(), ReasonCode::Ff02, "{xml:?}");
    }
}

#[test]
fn every_truncation_of_a_message_is_an_error() {
    for document in [FULL_PACS008, PACS002, PACS009, PACS004, CAMT056] {
        let xml = envelope(&[(APP_HDR, document)]);
        let mut cuts = 0;
        for (end, _) in xml.char_indices().skip(1) {
            let truncated = &xml[..end];
            // Cutting inside the final whitespace after the root leaves a complete message.
            if truncated.trim_end().ends_with("</BizMsgEnvlp>") {
                continue;
            }
            assert!(parse(truncated).is_err(), "truncated at {end} parsed");
            cuts += 1;
        }
        assert!(cuts > 1000);
    }
}

#[test]
fn wrong_or_missing_namespace_is_a_typed_error() {
    let unknown = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09\"><FIToFICstmrCdtTrf/></Document>";
    let error = parse(unknown).expect_err("newer version is not supported");
    assert!(
        matches!(&error, ParseError::UnknownNamespace { namespace, .. } if namespace.ends_with("pacs.008.001.09"))
    );
    assert_eq!(error.reason_code(), ReasonCode::Ff01);

    let none = "<Document><FIToFICstmrCdtTrf/></Document>";
    assert!(matches!(
        parse(none),
        Err(ParseError::MissingNamespace { .. })
    ));

    let header_as_document = format!("<Document xmlns=\"{}\"/>", common::HEAD_NS);
    assert!(matches!(
        parse(&header_as_document),
        Err(ParseError::WrongRootElement {
            expected: "AppHdr",
            ..
        })
    ));

    let wrong_message = format!("<Document xmlns=\"{PACS008_NS}\"><FICdtTrf/></Document>");
    assert!(matches!(
        parse(&wrong_message),
        Err(ParseError::WrongMessageElement {
            expected: "FIToFICstmrCdtTrf",
            ..
        })
    ));

    let foreign =
        MINIMAL_PACS008.replace("<MsgId>M1</MsgId>", "<MsgId xmlns=\"urn:evil\">M1</MsgId>");
    assert!(matches!(
        parse(&foreign),
        Err(ParseError::ForeignNamespace { .. })
    ));

    assert_eq!(
        parse("<Envelope><Other/></Envelope>"),
        Err(ParseError::NoMessage)
    );
    let header_then_junk = format!("<E>{APP_HDR}<Other/>{MINIMAL_PACS008}</E>");
    assert_eq!(
        parse(&header_then_junk),
        Err(ParseError::AppHdrWithoutDocument { message: 1 })
    );
}

#[test]
fn hostile_constructs_are_refused() {
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">&lol2;</Document>"#;
    assert_eq!(parse(billion_laughs), Err(ParseError::DoctypeNotAllowed));

    let external = r#"<!DOCTYPE d SYSTEM "file:///etc/passwd"><Document/>"#;
    assert_eq!(parse(external), Err(ParseError::DoctypeNotAllowed));

    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    assert!(matches!(parse(&deep), Err(ParseError::TooDeep { .. })));

    let huge_namespace = format!("<Document xmlns=\"urn:{}\"/>", "x".repeat(1_000_000));
    let error = parse(&huge_namespace).expect_err("unknown namespace");
    assert!(
        error.to_string().len() < 300,
        "errors echo only an excerpt of the input"
    );

    assert!(matches!(
        parse_bytes(b"<Document>\xff\xfe</Document>"),
        Err(ParseError::NotUtf8 { valid_up_to: 10 })
    ));
    assert!(parse("<Document>&#0;</Document>").is_err());
    assert!(parse("<Document>&#xD800;</Document>").is_err());
    assert!(parse("<Document>&#99999999999;</Document>").is_err());
}

#[test]
fn hostile_strings_inside_a_message_parse_and_fail_validation() {
    let xml = MINIMAL_PACS008
        .replace("<MsgId>M1</MsgId>", "<MsgId>M1&#x202E;gpj.exe</MsgId>")
        .replace("<Nm>Иван Петров</Nm>", "<Nm>Ива\u{200B}н&#1;</Nm>")
        .replace(
            "<EndToEndId>E1</EndToEndId>",
            "<EndToEndId><![CDATA[</EndToEndId><Evil/>]]></EndToEndId>",
        );
    let messages = parse(&xml).expect("well-formed XML parses");
    let errors = messages[0]
        .validate()
        .expect_err("hidden characters are refused")
        .0;
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert!(
        paths.contains(&"/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/Nm"),
        "{paths:?}"
    );
    // CDATA is text: the would-be markup stays data, and is escaped when written out.
    let corridor_iso20022::Document::Pacs008(document) = &messages[0].document else {
        panic!("pacs.008 expected");
    };
    let e2e = &document.credit_transfer_transactions[0]
        .payment_identification
        .end_to_end_identification;
    assert_eq!(e2e, "</EndToEndId><Evil/>");
    assert!(
        document
            .to_xml()
            .contains("&lt;/EndToEndId&gt;&lt;Evil/&gt;")
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let alphabet: &[&str] = &[
        "<",
        ">",
        "/",
        "Document",
        "AppHdr",
        "xmlns=\"",
        PACS008_NS,
        "\"",
        "&amp;",
        "&",
        ";",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<?",
        "?>",
        " ",
        "a",
        "=",
        "'",
        "ё",
        "ی",
        "\u{0}",
    ];
    for _ in 0..5_000 {
        let mut input = String::new();
        for _ in 0..(seed % 40) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            input.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let _ = parse(&input);
    }
    for sample in [FULL_PACS008, PACS002, PACS009, PACS004, CAMT056] {
        let bytes = sample.as_bytes();
        for i in (0..bytes.len()).step_by(7) {
            let mut mutated = bytes.to_vec();
            mutated[i] = mutated[i].wrapping_add(1);
            if let Ok(messages) = parse_bytes(&mutated) {
                for message in messages {
                    let _ = message.validate();
                    let _ = message.document.to_xml();
                }
            }
        }
    }
}
