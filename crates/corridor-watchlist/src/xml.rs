//! One streaming pass of quick-xml over a list file: checks the root element, then hands
//! each record element (an `INDIVIDUAL`, an `sdnEntry` ...) to the caller as a small owned
//! tree, so a 20 MB list never sits in memory as one tree. Elements are known by their local
//! names: OFAC's file puts everything in a default namespace whose URI has changed before.

use crate::error::{LoadError, Place, Problem};
use crate::format::ListFormat;
use quick_xml::Reader;
use quick_xml::escape::{resolve_predefined_entity, unescape};
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::cell::Cell;

/// No list nests deeper than about five elements; the limit bounds hostile input.
const MAX_DEPTH: usize = 32;

/// An element of one record, with its text and children.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) line: usize,
    text: String,
    children: Vec<Element>,
}

impl Element {
    /// Where this record stands in the file, for an error about it.
    pub(crate) fn place(&self) -> Place {
        Place::Element {
            name: self.name.clone(),
            line: self.line,
        }
    }

    /// What is wrong with this record, and where it is.
    pub(crate) fn refused(&self, problem: Problem) -> LoadError {
        LoadError::Entry {
            place: self.place(),
            problem,
        }
    }

    pub(crate) fn children<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a Element> + use<'a, 'n> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element's text without surrounding whitespace; `None` when that leaves nothing.
    pub(crate) fn text(&self) -> Option<&str> {
        Some(self.text.trim()).filter(|t| !t.is_empty())
    }

    /// The text of the first child of that name that has any.
    pub(crate) fn text_of(&self, name: &str) -> Option<&str> {
        self.children(name).find_map(Element::text)
    }

    /// The children found by following `path` from here, e.g. `["NATIONALITY", "VALUE"]`.
    pub(crate) fn descend<'a>(
        &'a self,
        path: &'a [&'a str],
    ) -> Box<dyn Iterator<Item = &'a Element> + 'a> {
        match path.split_first() {
            None => Box::new(std::iter::once(self)),
            Some((first, rest)) => Box::new(self.children(first).flat_map(|c| c.descend(rest))),
        }
    }
}

/// What the document says about itself outside its records.
#[derive(Debug, Default)]
pub(crate) struct Root {
    pub(crate) attributes: Vec<(String, String)>,
}

/// Reads `bytes` as a `format` list whose root element is `root`, passing every element
/// named in `records` (outside another record) to `visit`.
pub(crate) fn read_records(
    bytes: &[u8],
    format: ListFormat,
    root: &'static str,
    records: &[&str],
    mut visit: impl FnMut(Element) -> Result<(), LoadError>,
) -> Result<Root, LoadError> {
    let text = utf8(bytes)?;
    let mut reader = Reader::from_str(text);
    let lines = LineCounter::new(text);
    let mut document = None;
    let mut depth = 0usize;
    // The record being read, and the open elements inside it.
    let mut open: Vec<Element> = Vec::new();
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| LoadError::Xml {
            line: lines.line_at(reader.error_position()),
            reason: e.to_string(),
        })?;
        let fail = |reason: String| LoadError::Xml {
            line: lines.line_at(position),
            reason,
        };
        match event {
            Event::Start(start) | Event::Empty(start) if depth == 0 && document.is_some() => {
                let name = local_name(&start).map_err(fail)?;
                return Err(fail(format!("a second root element <{name}>")));
            }
            Event::Start(start) if document.is_none() => {
                document = Some(root_element(&start, format, root, fail)?);
                depth = 1;
            }
            Event::Empty(start) if document.is_none() => {
                document = Some(root_element(&start, format, root, fail)?);
            }
            Event::Start(start) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(fail(format!("elements nest deeper than {MAX_DEPTH}")));
                }
                let name = local_name(&start).map_err(fail)?;
                if !open.is_empty() || records.contains(&name.as_str()) {
                    let line = lines.line_at(position);
                    open.push(Element {
                        name,
                        line,
                        ..Element::default()
                    });
                }
            }
            Event::Empty(start) => {
                let name = local_name(&start).map_err(fail)?;
                if open.is_empty() && !records.contains(&name.as_str()) {
                    continue;
                }
                let line = lines.line_at(position);
                let element = Element {
                    name,
                    line,
                    ..Element::default()
                };
                close(&mut open, element, &mut visit)?;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some(element) = open.pop() {
                    close(&mut open, element, &mut visit)?;
                }
            }
            Event::Text(piece) => {
                let piece = piece.decode().map_err(|e| fail(e.to_string()))?;
                let piece = unescape(&piece).map_err(|e| fail(e.to_string()))?;
                append(&mut open, &piece);
            }
            Event::CData(data) => {
                let piece = data.decode().map_err(|e| fail(e.to_string()))?;
                append(&mut open, &piece);
            }
            Event::GeneralRef(reference) => append(&mut open, &resolve(&reference).map_err(fail)?),
            Event::DocType(_) => return Err(fail("a DOCTYPE is not allowed in a list".into())),
            Event::Eof => {
                return match document {
                    Some(document) if depth == 0 => Ok(document),
                    Some(_) => Err(fail("the file ends inside an element".into())),
                    None => Err(fail("no root element".into())),
                };
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

/// The document's root, when it is the list's.
fn root_element(
    start: &BytesStart<'_>,
    format: ListFormat,
    root: &'static str,
    fail: impl Fn(String) -> LoadError,
) -> Result<Root, LoadError> {
    let name = local_name(start).map_err(&fail)?;
    if name != root {
        return Err(LoadError::WrongRoot {
            format,
            expected: root,
            found: name,
        });
    }
    let attributes = attributes(start).map_err(fail)?;
    Ok(Root { attributes })
}

/// Hangs a finished element on its parent, or hands a finished record to `visit`.
fn close(
    open: &mut [Element],
    element: Element,
    visit: &mut impl FnMut(Element) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    match open.last_mut() {
        Some(parent) => {
            parent.children.push(element);
            Ok(())
        }
        None => visit(element),
    }
}

fn append(open: &mut [Element], piece: &str) {
    if let Some(element) = open.last_mut() {
        element.text.push_str(piece);
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        line: 1 + bytes
            .iter()
            .take(e.valid_up_to())
            .filter(|b| **b == b'\n')
            .count(),
    })
}

fn local_name(start: &BytesStart<'_>) -> Result<String, String> {
    let name = start.local_name();
    std::str::from_utf8(name.as_ref())
        .map(str::to_owned)
        .map_err(|e| e.to_string())
}

/// Unprefixed attributes, their values unescaped.
fn attributes(start: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = std::str::from_utf8(attribute.key.as_ref()).map_err(|e| e.to_string())?;
        let raw = std::str::from_utf8(&attribute.value).map_err(|e| e.to_string())?;
        let value = unescape(raw).map_err(|e| e.to_string())?;
        found.push((key.to_owned(), value.into_owned()));
    }
    Ok(found)
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
        .ok_or_else(|| format!("the entity &{name}; is not defined"))
}

/// Line numbers for byte positions that only ever grow, counted once over the file.
struct LineCounter<'a> {
    text: &'a [u8],
    counted_to: Cell<usize>,
    line: Cell<usize>,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            counted_to: Cell::new(0),
            line: Cell::new(1),
        }
    }

    /// Positions before the last one asked for give the last answer: errors come after.
    fn line_at(&self, position: u64) -> usize {
        let position = usize::try_from(position)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if let Some(fresh) = self.text.get(self.counted_to.get()..position) {
            let newlines = fresh.iter().filter(|b| **b == b'\n').count();
            self.line.set(self.line.get() + newlines);
            self.counted_to.set(position);
        }
        self.line.get()
    }
}
