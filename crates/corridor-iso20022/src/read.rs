//! Reading an element tree into a model: finding children, reporting the missing, the
//! repeated and the unknown codes, and carrying on so one pass reports them all.

use crate::codes::Code;
use crate::error::{Report, excerpt};
use crate::reason::ReasonCode;
use crate::tree::Element;

impl Report {
    /// The child `name`, which may appear at most once.
    pub(crate) fn optional<'t>(&mut self, parent: &Element<'t>, name: &str) -> Option<Element<'t>> {
        let mut found = parent.children_named(name);
        let first = found.next();
        if found.next().is_some() {
            self.fail(
                &format!("{name}[2]"),
                ReasonCode::Ch17,
                format!("{name} may appear only once"),
            );
        }
        first
    }

    pub(crate) fn required<'t>(&mut self, parent: &Element<'t>, name: &str) -> Option<Element<'t>> {
        let found = self.optional(parent, name);
        if found.is_none() {
            self.fail(name, ReasonCode::Ch21, format!("{name} is required"));
        }
        found
    }

    pub(crate) fn optional_text(&mut self, parent: &Element, name: &str) -> Option<String> {
        self.optional(parent, name).map(|e| e.text().to_owned())
    }

    pub(crate) fn required_text(&mut self, parent: &Element, name: &str) -> Option<String> {
        self.required(parent, name).map(|e| e.text().to_owned())
    }

    pub(crate) fn repeated_text(parent: &Element, name: &str) -> Vec<String> {
        parent
            .children_named(name)
            .map(|e| e.text().to_owned())
            .collect()
    }

    pub(crate) fn optional_code<C: Code>(&mut self, parent: &Element, name: &str) -> Option<C> {
        let element = self.optional(parent, name)?;
        let code = C::from_code(element.text());
        if code.is_none() {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!(
                    "{:?} is not one of {}",
                    excerpt(element.text()),
                    C::all_codes().join(", ")
                ),
            );
        }
        code
    }

    pub(crate) fn required_code<C: Code>(&mut self, parent: &Element, name: &str) -> Option<C> {
        if parent.children_named(name).next().is_none() {
            self.fail(name, ReasonCode::Ch21, format!("{name} is required"));
            return None;
        }
        self.optional_code(parent, name)
    }

    /// Reads the child `name` with `read`, one level deeper in the path.
    pub(crate) fn optional_with<T>(
        &mut self,
        parent: &Element,
        name: &str,
        read: impl FnOnce(&mut Report, &Element) -> Option<T>,
    ) -> Option<T> {
        let element = self.optional(parent, name)?;
        self.within(name, |r| read(r, &element))
    }

    pub(crate) fn required_with<T>(
        &mut self,
        parent: &Element,
        name: &str,
        read: impl FnOnce(&mut Report, &Element) -> Option<T>,
    ) -> Option<T> {
        let element = self.required(parent, name)?;
        self.within(name, |r| read(r, &element))
    }

    /// Reads every child `name` with `read`, each at its 1-based position in the path.
    pub(crate) fn repeated_with<T>(
        &mut self,
        parent: &Element,
        name: &str,
        read: impl Fn(&mut Report, &Element) -> Option<T>,
    ) -> Vec<T> {
        let mut found = Vec::new();
        for (i, element) in parent.children_named(name).enumerate() {
            found.extend(self.within_nth(name, i + 1, |r| read(r, &element)));
        }
        found
    }
}

/// Reads the message element inside a `Document`, naming paths from `/Document`.
pub(crate) fn read_document<T>(
    document: &Element,
    message: &str,
    read: impl FnOnce(&mut Report, &Element) -> Option<T>,
) -> Result<T, crate::error::FieldErrors> {
    let mut report = Report::new();
    let value = report.within("Document", |r| r.required_with(document, message, read));
    report.finish(value)
}

/// Which alternative of an XSD choice of two elements a parent holds.
pub(crate) enum Choice<'e> {
    First(Element<'e>),
    Second(Element<'e>),
}

impl Report {
    /// The one of the children `first` and `second` present, each at most once; neither or
    /// both is an error.
    pub(crate) fn choice<'e>(
        &mut self,
        parent: &Element<'e>,
        first: &str,
        second: &str,
    ) -> Option<Choice<'e>> {
        match (self.optional(parent, first), self.optional(parent, second)) {
            (Some(element), None) => Some(Choice::First(element)),
            (None, Some(element)) => Some(Choice::Second(element)),
            (Some(_), Some(_)) => {
                self.fail(
                    second,
                    ReasonCode::Ch17,
                    format!("{first} and {second} are a choice: one only"),
                );
                None
            }
            (None, None) => {
                self.fail(
                    first,
                    ReasonCode::Ch21,
                    format!("{first} or {second} is required"),
                );
                None
            }
        }
    }
}
