//! Writes XML element by element, indented, escaping every text and attribute value.

use quick_xml::escape::escape;

#[derive(Debug, Default)]
pub(crate) struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// The root element, which declares the message's namespace as the default one.
    pub(crate) fn open_root(&mut self, name: &str, namespace: &str) {
        self.indent();
        self.out
            .push_str(&format!("<{name} xmlns=\"{}\">\n", escape(namespace)));
        self.depth += 1;
    }

    pub(crate) fn open(&mut self, name: &str) {
        self.indent();
        self.out.push_str(&format!("<{name}>\n"));
        self.depth += 1;
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str(&format!("</{name}>\n"));
    }

    /// `<name>` around `f`'s output.
    pub(crate) fn element(&mut self, name: &str, f: impl FnOnce(&mut XmlWriter)) {
        self.open(name);
        f(self);
        self.close(name);
    }

    pub(crate) fn leaf(&mut self, name: &str, value: &str) {
        self.indent();
        self.out
            .push_str(&format!("<{name}>{}</{name}>\n", escape(value)));
    }

    pub(crate) fn optional_leaf(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.leaf(name, value);
        }
    }

    pub(crate) fn leaf_with_attribute(
        &mut self,
        name: &str,
        (attribute, attribute_value): (&str, &str),
        value: &str,
    ) {
        self.indent();
        self.out.push_str(&format!(
            "<{name} {attribute}=\"{}\">{}</{name}>\n",
            escape(attribute_value),
            escape(value)
        ));
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// A `Document` declaring `message_type`'s namespace, holding `message` written by `f`.
pub(crate) fn document_xml(
    message_type: crate::message_type::MessageType,
    message: &str,
    f: impl FnOnce(&mut XmlWriter),
) -> String {
    let mut out = XmlWriter::default();
    out.open_root("Document", message_type.namespace());
    out.element(message, f);
    out.close("Document");
    out.finish()
}
