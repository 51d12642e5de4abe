//! Backing rules: which keys a backing table mirrors, and how.
//!
//! A rule is `"<glob> <table> <modes>"`, `<modes>` a comma list of
//! `read-through`, `write-through` and `write-behind` (the last two
//! exclude each other). The first rule whose glob matches a key decides
//! for it; keys no rule matches never reach the database. Rules apply to
//! database 0 only (the one database a cluster has): other databases are
//! pure cache.

use crate::glob::glob_match;

/// How writes to a rule's keys reach the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Writes stay in the cache.
    None,
    /// A write is acknowledged only after the database committed it.
    Through,
    /// A write is acknowledged once it is in the durable journal; a
    /// background writer carries it to the database.
    Behind,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The key pattern (Redis glob syntax, case-sensitive).
    pub glob: Vec<u8>,
    /// The table (an SQL identifier: letters, digits, `_`).
    pub table: String,
    /// Load a missing key from the table.
    pub read_through: bool,
    /// What happens to writes.
    pub write: WriteMode,
}

impl Rule {
    /// Parses `"<glob> <table> <modes>"`.
    pub fn parse(text: &str) -> Result<Rule, String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [glob, table, modes] = parts[..] else {
            return Err(format!("backing-rule '{text}': expected \"<glob> <table> <modes>\""));
        };
        if !valid_table(table) {
            return Err(format!(
                "backing-rule '{text}': table name '{table}' must be letters, digits and '_', not starting with a digit, at most 63 characters"
            ));
        }
        let mut rule = Rule {
            glob: glob.as_bytes().to_vec(),
            table: table.to_string(),
            read_through: false,
            write: WriteMode::None,
        };
        for mode in modes.split(',') {
            match mode.trim().to_ascii_lowercase().as_str() {
                "read-through" => rule.read_through = true,
                "write-through" | "write-behind" if rule.write != WriteMode::None => {
                    return Err(format!(
                        "backing-rule '{text}': write-through and write-behind exclude each other"
                    ));
                }
                "write-through" => rule.write = WriteMode::Through,
                "write-behind" => rule.write = WriteMode::Behind,
                other => {
                    return Err(format!(
                        "backing-rule '{text}': unknown mode '{other}' (read-through, write-through, write-behind)"
                    ))
                }
            }
        }
        Ok(rule)
    }

    /// Whether the rule covers `key`.
    pub fn matches(&self, key: &[u8]) -> bool {
        glob_match(&self.glob, key, false)
    }
}

/// Whether `t` is a safe SQL identifier to put in a statement.
fn valid_table(t: &str) -> bool {
    let mut chars = t.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && t.len() <= 63
}

/// The rules in force, in order.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    list: Vec<Rule>,
}

impl Rules {
    /// Parses every rule (one per `backing-rule` value).
    pub fn parse<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Rules, String> {
        let list = texts
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .map(Rule::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rules { list })
    }

    /// The rule deciding for `key` in database `db` (its index and row).
    #[inline]
    pub fn find(&self, db: usize, key: &[u8]) -> Option<(usize, &Rule)> {
        if db != 0 {
            return None;
        }
        self.list.iter().enumerate().find(|(_, r)| r.matches(key))
    }

    /// Every rule.
    pub fn all(&self) -> &[Rule] {
        &self.list
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The distinct tables, in rule order.
    pub fn tables(&self) -> Vec<String> {
        let mut t: Vec<String> = Vec::new();
        for r in &self.list {
            if !t.contains(&r.table) {
                t.push(r.table.clone());
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_modes_and_refuses_both_write_modes() {
        let r = Rule::parse("session:* sessions read-through,write-behind").unwrap();
        assert!(r.read_through);
        assert_eq!(r.write, WriteMode::Behind);
        assert!(r.matches(b"session:abc"));
        assert!(!r.matches(b"user:1"));
        assert!(Rule::parse("a:* t write-through,write-behind").is_err());
        assert!(Rule::parse("a:* bad-name write-through").is_err());
        assert!(Rule::parse("a:* t sideways").is_err());
        assert!(Rule::parse("a:* t").is_err());
    }

    #[test]
    fn first_matching_rule_wins_and_only_db0_is_backed() {
        let rules = Rules::parse(["a:* t1 write-through", "* t2 read-through"]).unwrap();
        assert_eq!(rules.find(0, b"a:1").unwrap().1.table, "t1");
        assert_eq!(rules.find(0, b"b").unwrap().1.table, "t2");
        assert!(rules.find(1, b"a:1").is_none());
        assert_eq!(rules.tables(), vec!["t1".to_string(), "t2".to_string()]);
    }
}
