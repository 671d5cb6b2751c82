//! One pass of quick-xml into a small element tree, with the limits that make hostile
//! input harmless: bounded depth, no DTD, every prefix resolved to its namespace.

use crate::error::ParseError;
use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::rc::Rc;

/// No ISO 20022 message nests deeper than about 15 elements; the limit keeps recursion over
/// the tree (and dropping it) far from the end of the stack whatever the input.
pub(crate) const MAX_DEPTH: usize = 48;

#[derive(Debug)]
pub(crate) struct Element {
    pub(crate) namespace: Option<Rc<str>>,
    /// The local name, without its prefix.
    pub(crate) name: String,
    /// Unprefixed attributes only: ISO 20022 defines no other (`Ccy`).
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    pub(crate) fn children_named<'e, 'n>(
        &'e self,
        name: &'n str,
    ) -> impl Iterator<Item = &'e Element> + use<'e, 'n> {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) fn parse(xml: &str) -> Result<Element, ParseError> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut tree = TreeBuilder::default();
    loop {
        let next = reader.read_resolved_event().map_err(|e| e.to_string());
        let (resolved, event) = match next {
            Ok(pair) => pair,
            Err(detail) => return Err(syntax(reader.error_position(), detail)),
        };
        // Only a start tag needs its namespace; resolve it before the reader is used again.
        let namespace = matches!(event, Event::Start(_)).then(|| namespace_of(resolved));
        let position = reader.buffer_position();
        let fail = |detail: String| syntax(position, detail);
        match event {
            Event::Start(start) => {
                let namespace = namespace.transpose().map_err(fail)?.flatten();
                tree.start(open_element(namespace, &start).map_err(fail)?, position)?;
            }
            Event::End(_) => tree.end(),
            Event::Text(text) => tree.text(
                &text.xml10_content().map_err(|e| fail(e.to_string()))?,
                position,
            )?,
            Event::CData(data) => {
                tree.text(&data.decode().map_err(|e| fail(e.to_string()))?, position)?
            }
            Event::GeneralRef(reference) => {
                tree.text(&resolve(&reference).map_err(fail)?, position)?
            }
            Event::DocType(_) => return Err(ParseError::DoctypeNotAllowed),
            Event::Eof => return tree.finish(position),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::Empty(_) => {}
        }
    }
}

fn syntax(position: u64, detail: String) -> ParseError {
    ParseError::Syntax { position, detail }
}

fn namespace_of(resolved: ResolveResult<'_>) -> Result<Option<String>, String> {
    match resolved {
        ResolveResult::Bound(namespace) => Ok(Some(utf8(namespace.as_ref())?)),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(format!(
            "prefix {:?} is not declared",
            String::from_utf8_lossy(&prefix)
        )),
    }
}

fn open_element(namespace: Option<String>, start: &BytesStart<'_>) -> Result<OpenElement, String> {
    Ok(OpenElement {
        namespace,
        name: utf8(start.local_name().as_ref())?,
        attributes: attributes(start)?,
    })
}

fn attributes(start: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = attribute.key;
        if key.prefix().is_some() || key.as_ref() == b"xmlns" {
            continue;
        }
        let value = attribute.unescape_value().map_err(|e| e.to_string())?;
        attributes.push((utf8(key.local_name().as_ref())?, value.into_owned()));
    }
    Ok(attributes)
}

/// A character reference or one of the five predefined entities; with no DTD allowed, any
/// other entity is undefined.
fn resolve(reference: &BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = reference.decode().map_err(|e| e.to_string())?;
    resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| format!("entity &{}; is not defined", crate::error::excerpt(&name)))
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| e.to_string())
}

struct OpenElement {
    namespace: Option<String>,
    name: String,
    attributes: Vec<(String, String)>,
}

#[derive(Default)]
struct TreeBuilder {
    open: Vec<Element>,
    root: Option<Element>,
    /// Every element of a message shares one namespace: keep one copy of it.
    last_namespace: Option<Rc<str>>,
}

impl TreeBuilder {
    fn start(&mut self, element: OpenElement, position: u64) -> Result<(), ParseError> {
        if self.root.is_some() {
            return Err(syntax(position, "a second root element".into()));
        }
        if self.open.len() == MAX_DEPTH {
            return Err(ParseError::TooDeep { limit: MAX_DEPTH });
        }
        let namespace = element.namespace.map(|ns| self.shared(ns));
        self.open.push(Element {
            namespace,
            name: element.name,
            attributes: element.attributes,
            text: String::new(),
            children: Vec::new(),
        });
        Ok(())
    }

    fn shared(&mut self, namespace: String) -> Rc<str> {
        match &self.last_namespace {
            Some(last) if **last == *namespace => Rc::clone(last),
            _ => {
                let shared: Rc<str> = namespace.into();
                self.last_namespace = Some(Rc::clone(&shared));
                shared
            }
        }
    }

    /// quick-xml has already matched the end tag with its start tag.
    fn end(&mut self) {
        if let Some(element) = self.open.pop() {
            match self.open.last_mut() {
                Some(parent) => parent.children.push(element),
                None => self.root = Some(element),
            }
        }
    }

    fn text(&mut self, text: &str, position: u64) -> Result<(), ParseError> {
        match self.open.last_mut() {
            Some(element) => element.text.push_str(text),
            None if text.trim().is_empty() => {}
            None => return Err(syntax(position, "text outside the root element".into())),
        }
        Ok(())
    }

    fn finish(self, position: u64) -> Result<Element, ParseError> {
        if let Some(open) = self.open.last() {
            return Err(syntax(
                position,
                format!("input ends inside element {}", open.name),
            ));
        }
        self.root
            .ok_or_else(|| syntax(position, "no root element".into()))
    }
}
