//! Keyspace notifications (`notify-keyspace-events`): every effect that
//! carries one of Redis's event names is published, when its class is
//! enabled, on `__keyspace@<db>__:<key>` (message: the event) and on
//! `__keyevent@<db>__:<event>` (message: the key), keyspace first, in the
//! order the changes happened, from the effects fan-out.
//!
//! Invariant: costs one relaxed load per fan-out when notifications are off.
//! `new` (class `n`) is recorded by the store when a write creates a key,
//! only while [`wants_new`] says so. Not yet emitted: key-miss events
//! (class `m`), and `new` for keys `MOVE`/`COPY … DB` create in another
//! database.

use crate::config::{event_class, Hot};
use crate::node::Instance;
use crate::store::{Change, Effect};

/// The class character of an event, as Redis's call sites pass it.
fn class_of(change: &Change, event: &str) -> char {
    match change {
        Change::Expired => return 'x',
        Change::Evicted => return 'e',
        _ => {}
    }
    match event {
        "set" | "setrange" | "incrby" | "incrbyfloat" | "append" | "setbit" | "pfadd" => '$',
        "lpush" | "rpush" | "lpop" | "rpop" | "linsert" | "lset" | "lrem" | "ltrim" | "sortstore" => 'l',
        "sadd" | "srem" | "spop" | "sinterstore" | "sunionstore" | "sdiffstore" => 's',
        "georadiusstore" => 'z',
        "new" => 'n',
        e if e.starts_with('h') => 'h',
        e if e.starts_with('z') => 'z',
        e if e.starts_with('x') => 't',
        _ => 'g',
    }
}

/// Whether writes must report key creation (`new` events are notified).
pub fn wants_new(inst: &Instance) -> bool {
    let flags = inst.config.hot(Hot::NotifyKeyspaceEvents) as u32;
    flags & event_class('n') != 0 && flags & (event_class('K') | event_class('E')) != 0
}

/// Publishes the notifications of `effects` (see the module doc).
pub fn publish(inst: &Instance, effects: &[Effect]) {
    let flags = inst.config.hot(Hot::NotifyKeyspaceEvents) as u32;
    let (space, event_ch) = (event_class('K'), event_class('E'));
    if flags & (space | event_ch) == 0 {
        return;
    }
    // Redis announces `new` when the key is added (`dbAdd`), which is just
    // before the first event on that key (`MSET`, `SMOVE`), or before the
    // whole pair for a `RENAME`'s target; the store records it when the
    // write ends, so it waits here for that moment.
    let mut pending: Vec<&Effect> = Vec::new();
    for (i, e) in effects.iter().enumerate() {
        let Some(event) = e.change.event() else { continue };
        if event == "new" && matches!(e.change, Change::Noted(_)) {
            pending.push(e);
            continue;
        }
        let target = match (event, effects.get(i + 1)) {
            ("rename_from", Some(next)) if next.change == Change::Written("rename_to") => Some(next),
            _ => Some(e),
        };
        if let Some(t) = target {
            if let Some(at) = pending.iter().position(|p| p.db == t.db && p.key == t.key) {
                let created = pending.remove(at);
                announce(inst, flags, created, "new");
            }
        }
        announce(inst, flags, e, event);
    }
    for created in pending {
        announce(inst, flags, created, "new");
    }
}

/// Publishes one event of `e` if its class is enabled.
fn announce(inst: &Instance, flags: u32, e: &Effect, event: &str) {
    let (space, event_ch) = (event_class('K'), event_class('E'));
    if flags & event_class(class_of(&e.change, event)) == 0 {
        return;
    }
    if flags & space != 0 {
        let mut channel = format!("__keyspace@{}__:", e.db).into_bytes();
        channel.extend_from_slice(&e.key);
        inst.pubsub.publish(&channel, event.as_bytes());
    }
    if flags & event_ch != 0 {
        let channel = format!("__keyevent@{}__:{event}", e.db);
        inst.pubsub.publish(channel.as_bytes(), &e.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_map_to_redis_classes() {
        assert_eq!(class_of(&Change::Written("set"), "set"), '$');
        assert_eq!(class_of(&Change::Written("lpush"), "lpush"), 'l');
        assert_eq!(class_of(&Change::Written("hset"), "hset"), 'h');
        assert_eq!(class_of(&Change::Written("zincr"), "zincr"), 'z');
        assert_eq!(class_of(&Change::Written("xadd"), "xadd"), 't');
        assert_eq!(class_of(&Change::Deleted("del"), "del"), 'g');
        assert_eq!(class_of(&Change::Expired, "expired"), 'x');
        assert_eq!(class_of(&Change::Written("sortstore"), "sortstore"), 'l');
    }
}
