//! PLACEHOLDER: the list helper replaces this file with the real type.

/// A list value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct List {
    len: usize,
}

impl List {
    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        "listpack"
    }

    /// Approximate heap bytes held.
    pub fn heap_size(&self) -> usize {
        self.len
    }

    /// The contents for a `DUMP` payload.
    pub fn dump_items(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }

    /// Rebuilds a value from `DUMP` contents; `None` if they are empty or inconsistent.
    pub fn from_dump(_items: Vec<Vec<u8>>, _limits: &super::Limits) -> Option<List> {
        None
    }
}
