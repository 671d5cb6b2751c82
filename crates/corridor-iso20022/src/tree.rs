//! One pass of quick-xml into a flat element tree that borrows from the input, with the
//! limits that make hostile input harmless: bounded depth, no DTD, every prefix resolved
//! to its namespace.
//!
//! Parsing is the hot path of message intake, so the tree is built for few allocations:
//! names and most texts are slices of the input, every element lives in one vector in
//! document order, and an element's descendants are the contiguous run after it.

use crate::error::ParseError;
use quick_xml::Reader;
use quick_xml::escape::{resolve_predefined_entity, unescape};
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::borrow::Cow;

/// No ISO 20022 message nests deeper than about 15 elements; the limit keeps recursion over
/// the tree far from the end of the stack whatever the input.
pub(crate) const MAX_DEPTH: usize = 48;

/// Marks "no such element" in the links between nodes; the root is never anyone's child or
/// sibling, so index 0 would do, but a distinct value reads better.
const NONE: u32 = u32::MAX;

#[derive(Debug)]
pub(crate) struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    attributes: Vec<(&'a str, Cow<'a, str>)>,
    namespaces: Vec<Cow<'a, str>>,
}

#[derive(Debug)]
struct Node<'a> {
    /// The local name, without its prefix.
    name: &'a str,
    namespace: Option<u32>,
    text: Cow<'a, str>,
    attributes: (u32, u32),
    first_child: u32,
    next_sibling: u32,
    /// One past the last descendant.
    end: u32,
}

/// An element of a parsed tree: a cheap handle, copied freely.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'t> {
    tree: &'t Tree<'t>,
    index: u32,
}

impl<'t> Element<'t> {
    fn node(&self) -> &'t Node<'t> {
        &self.tree.nodes[self.index as usize]
    }

    /// The local name, without its prefix.
    pub(crate) fn name(&self) -> &'t str {
        self.node().name
    }

    pub(crate) fn namespace(&self) -> Option<&'t str> {
        let index = self.node().namespace?;
        Some(&self.tree.namespaces[index as usize])
    }

    /// The element's own text, entities resolved; empty for an element with children.
    pub(crate) fn text(&self) -> &'t str {
        &self.node().text
    }

    /// Unprefixed attributes only: ISO 20022 defines no other (`Ccy`).
    pub(crate) fn attribute(&self, name: &str) -> Option<&'t str> {
        self.attributes()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Every unprefixed attribute, in document order.
    pub(crate) fn attributes(&self) -> &'t [(&'t str, Cow<'t, str>)] {
        let (from, to) = self.node().attributes;
        &self.tree.attributes[from as usize..to as usize]
    }

    pub(crate) fn children(&self) -> impl Iterator<Item = Element<'t>> + use<'t> {
        let tree = self.tree;
        let mut next = self.node().first_child;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let element = Element { tree, index: next };
            next = element.node().next_sibling;
            Some(element)
        })
    }

    pub(crate) fn children_named<'n>(
        &self,
        name: &'n str,
    ) -> impl Iterator<Item = Element<'t>> + use<'t, 'n> {
        self.children().filter(move |c| c.name() == name)
    }

    /// Every element inside this one, at any depth, in document order.
    pub(crate) fn descendants(&self) -> impl Iterator<Item = Element<'t>> + use<'t> {
        let tree = self.tree;
        (self.index + 1..self.node().end).map(move |index| Element { tree, index })
    }
}

impl<'a> Tree<'a> {
    pub(crate) fn root(&self) -> Element<'_> {
        Element {
            tree: self,
            index: 0,
        }
    }
}

pub(crate) fn parse(xml: &str) -> Result<Tree<'_>, ParseError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut tree = TreeBuilder::new(xml);
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(syntax(reader.error_position(), e.to_string())),
        };
        let position = reader.buffer_position();
        let fail = |detail: String| syntax(position, detail);
        match event {
            Event::Start(start) => tree.start(&start, position)?,
            Event::End(_) => tree.end(),
            Event::Text(text) => {
                if tree.takes_text() {
                    let content = tree.borrowed(&text).map_err(fail)?;
                    tree.text(line_ends(content), position)?
                }
            }
            Event::CData(data) => {
                tree.text(data.decode().map_err(|e| fail(e.to_string()))?, position)?
            }
            Event::GeneralRef(reference) => {
                tree.text(Cow::Owned(resolve(&reference).map_err(fail)?), position)?
            }
            Event::DocType(_) => return Err(ParseError::DoctypeNotAllowed),
            Event::Eof => return tree.finish(position),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::Empty(_) => {}
        }
    }
}

/// XML 1.0 reads every `\r\n` and lone `\r` as `\n` (section 2.11).
fn line_ends(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn syntax(position: u64, detail: String) -> ParseError {
    ParseError::Syntax { position, detail }
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

/// A prefix bound to a namespace by an `xmlns` attribute, in scope until its element ends.
struct Binding<'a> {
    /// Empty for the default namespace.
    prefix: &'a str,
    /// `None` where `xmlns=""` takes the default namespace away.
    namespace: Option<u32>,
    depth: usize,
}

struct Open {
    index: u32,
    last_child: u32,
}

struct TreeBuilder<'a> {
    input: &'a str,
    tree: Tree<'a>,
    open: Vec<Open>,
    bindings: Vec<Binding<'a>>,
}

impl<'a> TreeBuilder<'a> {
    fn new(input: &'a str) -> Self {
        TreeBuilder {
            input,
            tree: Tree {
                // About one element per 30 bytes of a typical message: one allocation.
                nodes: Vec::with_capacity(input.len() / 30 + 1),
                attributes: Vec::new(),
                namespaces: Vec::new(),
            },
            open: Vec::with_capacity(16),
            bindings: Vec::new(),
        }
    }

    /// The part of the input that `bytes` is: quick-xml lends event content borrowed from
    /// its input, and taking it from there keeps it borrowed for the tree's whole life.
    fn borrowed(&self, bytes: &[u8]) -> Result<&'a str, String> {
        let offset = (bytes.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
        self.input
            .get(offset..offset.saturating_add(bytes.len()))
            .ok_or_else(|| "content that is not whole UTF-8 characters".to_owned())
    }

    fn start(&mut self, start: &BytesStart<'a>, position: u64) -> Result<(), ParseError> {
        let fail = |detail: String| syntax(position, detail);
        if self.open.is_empty() && !self.tree.nodes.is_empty() {
            return Err(fail("a second root element".into()));
        }
        if self.open.len() == MAX_DEPTH {
            return Err(ParseError::TooDeep { limit: MAX_DEPTH });
        }
        let depth = self.open.len();
        let attributes = self.read_attributes(start, depth).map_err(fail)?;
        let qualified = self.borrowed(start.name().as_ref()).map_err(fail)?;
        let (prefix, name) = qualified.split_once(':').unwrap_or(("", qualified));
        let namespace = self.namespace_of(prefix).map_err(fail)?;
        let index = self.tree.nodes.len() as u32;
        self.tree.nodes.push(Node {
            name,
            namespace,
            text: Cow::Borrowed(""),
            attributes,
            first_child: NONE,
            next_sibling: NONE,
            end: NONE,
        });
        if let Some(parent) = self.open.last_mut() {
            let nodes = &mut self.tree.nodes;
            match parent.last_child {
                NONE => nodes[parent.index as usize].first_child = index,
                last => nodes[last as usize].next_sibling = index,
            }
            parent.last_child = index;
            // ISO 20022 has no mixed content: text before a first child is layout.
            nodes[parent.index as usize].text = Cow::Borrowed("");
        }
        self.open.push(Open {
            index,
            last_child: NONE,
        });
        Ok(())
    }

    /// Keeps the unprefixed attributes; binds the namespaces that `xmlns` ones declare.
    fn read_attributes(
        &mut self,
        start: &BytesStart<'a>,
        depth: usize,
    ) -> Result<(u32, u32), String> {
        let from = self.tree.attributes.len() as u32;
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| e.to_string())?;
            let key = self.borrowed(attribute.key.as_ref())?;
            let raw = self.borrowed(&attribute.value)?;
            let value = unescape(raw).map_err(|e| e.to_string())?;
            match key.split_once(':') {
                None if key == "xmlns" => self.bind("", value, depth),
                None => self.tree.attributes.push((key, value)),
                Some(("xmlns", prefix)) => self.bind(prefix, value, depth),
                Some(_) => {}
            }
        }
        Ok((from, self.tree.attributes.len() as u32))
    }

    fn bind(&mut self, prefix: &'a str, namespace: Cow<'a, str>, depth: usize) {
        let namespace = (!namespace.is_empty()).then(|| self.intern(namespace));
        self.bindings.push(Binding {
            prefix,
            namespace,
            depth,
        });
    }

    /// Every element of a message shares one namespace: keep one copy of each.
    fn intern(&mut self, namespace: Cow<'a, str>) -> u32 {
        let namespaces = &mut self.tree.namespaces;
        match namespaces.iter().position(|known| *known == namespace) {
            Some(index) => index as u32,
            None => {
                namespaces.push(namespace);
                namespaces.len() as u32 - 1
            }
        }
    }

    fn namespace_of(&self, prefix: &str) -> Result<Option<u32>, String> {
        match self.bindings.iter().rev().find(|b| b.prefix == prefix) {
            Some(binding) => Ok(binding.namespace),
            None if prefix.is_empty() => Ok(None),
            None => Err(format!(
                "prefix {:?} is not declared",
                crate::error::excerpt(prefix)
            )),
        }
    }

    /// quick-xml has already matched the end tag with its start tag.
    fn end(&mut self) {
        let Some(closed) = self.open.pop() else {
            return;
        };
        let depth = self.open.len();
        while self.bindings.last().is_some_and(|b| b.depth == depth) {
            self.bindings.pop();
        }
        let end = self.tree.nodes.len() as u32;
        self.tree.nodes[closed.index as usize].end = end;
    }

    /// Whether text here is content: not layout between child elements (outside the root,
    /// [`Self::text`] refuses anything but whitespace).
    fn takes_text(&self) -> bool {
        self.open.last().is_none_or(|open| open.last_child == NONE)
    }

    fn text(&mut self, piece: Cow<'a, str>, position: u64) -> Result<(), ParseError> {
        let Some(open) = self.open.last() else {
            if piece.trim().is_empty() {
                return Ok(());
            }
            return Err(syntax(position, "text outside the root element".into()));
        };
        // ISO 20022 has no mixed content: text beside child elements is layout.
        if open.last_child != NONE {
            return Ok(());
        }
        let text = &mut self.tree.nodes[open.index as usize].text;
        if text.is_empty() {
            *text = piece;
        } else {
            text.to_mut().push_str(&piece);
        }
        Ok(())
    }

    fn finish(self, position: u64) -> Result<Tree<'a>, ParseError> {
        if let Some(open) = self.open.last() {
            let name = self.tree.nodes[open.index as usize].name;
            return Err(syntax(
                position,
                format!("input ends inside element {name}"),
            ));
        }
        if self.tree.nodes.is_empty() {
            return Err(syntax(position, "no root element".into()));
        }
        Ok(self.tree)
    }
}
