//! SQLite, embedded (`rusqlite`, bundled): one connection owned by its own
//! thread, so a slow disk never blocks the server's workers. Requests are
//! closures sent to that thread; each answers on a oneshot channel.
//!
//! The database runs in WAL mode with `synchronous=FULL`: a committed batch
//! survives a power loss, which is what "acknowledged after the database
//! committed it" promises for write-through.

use std::sync::mpsc;

use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::oneshot;

use super::{BackingError, BackingStore, Batch, DbFuture, Image, Op, Row};

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// The SQLite backend.
pub struct Sqlite {
    jobs: parking_lot::Mutex<mpsc::Sender<Job>>,
}

fn db_err(e: rusqlite::Error) -> BackingError {
    BackingError::Db(format!("sqlite: {e}"))
}

impl Sqlite {
    /// Opens (creating if needed) the database file at `path`.
    pub fn open(path: &str) -> Result<Sqlite, BackingError> {
        let mut conn = Connection::open(path).map_err(db_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db_err)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(db_err)?;
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("shoal-sqlite".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    job(&mut conn);
                }
            })
            .map_err(|e| BackingError::Db(format!("sqlite thread: {e}")))?;
        Ok(Sqlite {
            jobs: parking_lot::Mutex::new(tx),
        })
    }

    /// Runs `f` on the connection's thread.
    fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, BackingError> + Send + 'static,
    ) -> DbFuture<'_, T> {
        let (tx, rx) = oneshot::channel();
        let sent = self.jobs.lock().send(Box::new(move |c: &mut Connection| {
            let _ = tx.send(f(c));
        }));
        Box::pin(async move {
            if sent.is_err() {
                return Err(BackingError::Db("sqlite: the database thread stopped".into()));
            }
            rx.await
                .unwrap_or_else(|_| Err(BackingError::Db("sqlite: the database thread stopped".into())))
        })
    }
}

impl BackingStore for Sqlite {
    fn prepare<'a>(&'a self, tables: &'a [String]) -> DbFuture<'a, ()> {
        let tables = tables.to_vec();
        self.run(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            for t in &tables {
                tx.execute_batch(&format!(
                    "CREATE TABLE IF NOT EXISTS \"{t}\" (key BLOB PRIMARY KEY, type TEXT NOT NULL, \
                     value BLOB NOT NULL, expire_at INTEGER, version INTEGER NOT NULL, \
                     updated_at INTEGER NOT NULL)"
                ))
                .map_err(db_err)?;
            }
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS shoal_backing_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
            )
            .map_err(db_err)?;
            tx.commit().map_err(db_err)
        })
    }

    fn load<'a>(&'a self, table: &'a str, key: &'a [u8]) -> DbFuture<'a, Option<Row>> {
        let sql = format!("SELECT type, value, expire_at, version FROM \"{table}\" WHERE key = ?1");
        let key = key.to_vec();
        self.run(move |c| {
            let mut stmt = c.prepare_cached(&sql).map_err(db_err)?;
            stmt.query_row(params![key], |r| {
                Ok(Row {
                    image: Image {
                        kind: r.get(0)?,
                        value: r.get(1)?,
                        expire_at: r.get::<_, Option<i64>>(2)?.unwrap_or(0).max(0) as u64,
                    },
                    version: r.get::<_, i64>(3)?.max(0) as u64,
                })
            })
            .optional()
            .map_err(db_err)
        })
    }

    fn write(&self, batch: Batch) -> DbFuture<'_, ()> {
        self.run(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            let now = super::now_ms() as i64;
            let mut max_version = 0u64;
            for r in &batch.records {
                max_version = max_version.max(r.seq);
                match &r.op {
                    Op::Upsert(img) => {
                        let sql = format!(
                            "INSERT INTO \"{t}\" (key, type, value, expire_at, version, updated_at) \
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(key) DO UPDATE SET \
                             type = excluded.type, value = excluded.value, expire_at = excluded.expire_at, \
                             version = excluded.version, updated_at = excluded.updated_at \
                             WHERE excluded.version >= \"{t}\".version",
                            t = r.table
                        );
                        let expire = (img.expire_at != 0).then_some(img.expire_at as i64);
                        tx.prepare_cached(&sql)
                            .and_then(|mut s| s.execute(params![r.key, img.kind, img.value, expire, r.seq as i64, now]))
                            .map_err(db_err)?;
                    }
                    Op::Delete => {
                        let sql = format!("DELETE FROM \"{}\" WHERE key = ?1 AND version <= ?2", r.table);
                        tx.prepare_cached(&sql)
                            .and_then(|mut s| s.execute(params![r.key, r.seq as i64]))
                            .map_err(db_err)?;
                    }
                }
            }
            let upsert_state = "INSERT INTO shoal_backing_state (name, value) VALUES (?1, ?2) \
                 ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)";
            if let Some(cursor) = batch.cursor {
                tx.execute(upsert_state, params!["journal", cursor as i64])
                    .map_err(db_err)?;
            }
            if max_version > 0 {
                tx.execute(upsert_state, params!["version", max_version as i64])
                    .map_err(db_err)?;
            }
            tx.commit().map_err(db_err)
        })
    }

    fn cursor(&self) -> DbFuture<'_, u64> {
        self.run(|c| {
            c.query_row(
                "SELECT value FROM shoal_backing_state WHERE name = 'journal'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map(|v| v.unwrap_or(0).max(0) as u64)
            .map_err(db_err)
        })
    }

    fn kind(&self) -> &'static str {
        "sqlite"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backing::Record;

    fn rec(seq: u64, key: &[u8], op: Op) -> Record {
        Record {
            seq,
            table: "t".into(),
            key: key.to_vec(),
            op,
            at_ms: 1,
        }
    }

    fn img(v: &[u8]) -> Op {
        Op::Upsert(Image {
            kind: "string".into(),
            value: v.to_vec(),
            expire_at: 0,
        })
    }

    #[tokio::test]
    async fn older_versions_never_replace_newer_rows() {
        let dir = std::env::temp_dir().join(format!("shoal-sqlite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let db = Sqlite::open(path.to_str().unwrap()).unwrap();
        db.prepare(&["t".to_string()]).await.unwrap();
        let batch = |records, cursor| Batch { records, cursor };
        db.write(batch(vec![rec(5, b"k", img(b"new"))], Some(5))).await.unwrap();
        // A replay of an older write leaves the newer row alone.
        db.write(batch(vec![rec(3, b"k", img(b"old"))], Some(3))).await.unwrap();
        let row = db.load("t", b"k").await.unwrap().unwrap();
        assert_eq!(row.image.value, b"new");
        assert_eq!(row.version, 5);
        // The cursor only moves forward.
        assert_eq!(db.cursor().await.unwrap(), 5);
        // An older delete does not remove it; a newer one does.
        db.write(batch(vec![rec(4, b"k", Op::Delete)], None)).await.unwrap();
        assert!(db.load("t", b"k").await.unwrap().is_some());
        db.write(batch(vec![rec(6, b"k", Op::Delete)], Some(6))).await.unwrap();
        assert!(db.load("t", b"k").await.unwrap().is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
