//! PostgreSQL through `tokio-postgres`, with a small pool of connections.
//!
//! A batch is one transaction with one statement per table and kind
//! (`INSERT … SELECT FROM UNNEST(…) ON CONFLICT … WHERE version`, and a
//! `DELETE … USING UNNEST`), so a batch of any size costs a few round
//! trips. A connection that failed is dropped, never returned to the pool;
//! the next call connects again, which is how an outage heals.

use parking_lot::Mutex;
use tokio_postgres::{Client, NoTls};

use super::{BackingError, BackingStore, Batch, DbFuture, Image, Op, Row};

/// The PostgreSQL backend.
pub struct Postgres {
    config: tokio_postgres::Config,
    pool: Mutex<Vec<Client>>,
    size: usize,
}

fn db_err(e: tokio_postgres::Error) -> BackingError {
    // The error's source carries the server's message ("relation … does not exist").
    let detail = std::error::Error::source(&e).map(|s| s.to_string());
    BackingError::Db(match detail {
        Some(d) => format!("postgres: {e}: {d}"),
        None => format!("postgres: {e}"),
    })
}

impl Postgres {
    /// A backend for `url`; connects lazily.
    pub fn new(url: &str, size: usize) -> Result<Postgres, BackingError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| BackingError::Config(format!("backing-url '{url}': {e}")))?;
        config.connect_timeout(std::time::Duration::from_secs(5));
        config.application_name("shoal");
        Ok(Postgres {
            config,
            pool: Mutex::new(Vec::new()),
            size: size.max(1),
        })
    }

    async fn client(&self) -> Result<Client, BackingError> {
        loop {
            let c = self.pool.lock().pop();
            match c {
                Some(c) if c.is_closed() => continue,
                Some(c) => return Ok(c),
                None => break,
            }
        }
        let (client, conn) = self.config.connect(NoTls).await.map_err(db_err)?;
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("postgres connection ended: {e}");
            }
        });
        Ok(client)
    }

    fn give_back(&self, c: Client) {
        let mut pool = self.pool.lock();
        if !c.is_closed() && pool.len() < self.size {
            pool.push(c);
        }
    }
}

async fn write_batch(c: &mut Client, batch: &Batch) -> Result<(), tokio_postgres::Error> {
    let tx = c.transaction().await?;
    let now = super::now_ms() as i64;
    let mut tables: Vec<&str> = batch.records.iter().map(|r| r.table.as_str()).collect();
    tables.sort_unstable();
    tables.dedup();
    let mut max_version = 0u64;
    for t in tables {
        let (mut keys, mut kinds, mut values, mut expires, mut versions) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut del_keys, mut del_versions) = (Vec::new(), Vec::new());
        for r in batch.records.iter().filter(|r| r.table == t) {
            max_version = max_version.max(r.seq);
            match &r.op {
                Op::Upsert(img) => {
                    keys.push(r.key.as_slice());
                    kinds.push(img.kind.as_str());
                    values.push(img.value.as_slice());
                    expires.push((img.expire_at != 0).then_some(img.expire_at as i64));
                    versions.push(r.seq as i64);
                }
                Op::Delete => {
                    del_keys.push(r.key.as_slice());
                    del_versions.push(r.seq as i64);
                }
            }
        }
        if !keys.is_empty() {
            let sql = format!(
                "INSERT INTO \"{t}\" AS t (key, type, value, expire_at, version, updated_at) \
                 SELECT k, ty, v, e, ver, $6 FROM UNNEST($1::bytea[], $2::text[], $3::bytea[], $4::int8[], $5::int8[]) \
                 AS u(k, ty, v, e, ver) \
                 ON CONFLICT (key) DO UPDATE SET type = excluded.type, value = excluded.value, \
                 expire_at = excluded.expire_at, version = excluded.version, updated_at = excluded.updated_at \
                 WHERE excluded.version >= t.version"
            );
            tx.execute(&sql, &[&keys, &kinds, &values, &expires, &versions, &now])
                .await?;
        }
        if !del_keys.is_empty() {
            let sql = format!(
                "DELETE FROM \"{t}\" AS t USING UNNEST($1::bytea[], $2::int8[]) AS d(k, ver) \
                 WHERE t.key = d.k AND t.version <= d.ver"
            );
            tx.execute(&sql, &[&del_keys, &del_versions]).await?;
        }
    }
    let upsert_state = "INSERT INTO shoal_backing_state AS s (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = GREATEST(s.value, excluded.value)";
    if let Some(cursor) = batch.cursor {
        tx.execute(upsert_state, &[&"journal", &(cursor as i64)]).await?;
    }
    if max_version > 0 {
        tx.execute(upsert_state, &[&"version", &(max_version as i64)]).await?;
    }
    tx.commit().await
}

impl BackingStore for Postgres {
    fn prepare<'a>(&'a self, tables: &'a [String]) -> DbFuture<'a, ()> {
        Box::pin(async move {
            let c = self.client().await?;
            // Concurrent CREATE TABLE IF NOT EXISTS races in PostgreSQL (two
            // creators collide in pg_type): serialize creators, across
            // processes too, with a transaction-scoped advisory lock.
            let mut sql = String::from("BEGIN; SELECT pg_advisory_xact_lock(7428001);");
            for t in tables {
                sql.push_str(&format!(
                    "CREATE TABLE IF NOT EXISTS \"{t}\" (key BYTEA PRIMARY KEY, type TEXT NOT NULL, \
                     value BYTEA NOT NULL, expire_at BIGINT, version BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
                ));
            }
            sql.push_str(
                "CREATE TABLE IF NOT EXISTS shoal_backing_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL); COMMIT;",
            );
            let r = c.batch_execute(&sql).await.map_err(db_err);
            self.give_back(c);
            r
        })
    }

    fn load<'a>(&'a self, table: &'a str, key: &'a [u8]) -> DbFuture<'a, Option<Row>> {
        Box::pin(async move {
            let c = self.client().await?;
            let sql = format!("SELECT type, value, expire_at, version FROM \"{table}\" WHERE key = $1");
            let r = c.query_opt(&sql, &[&key]).await.map_err(db_err);
            self.give_back(c);
            let Some(row) = r? else { return Ok(None) };
            let get = || -> Result<Row, tokio_postgres::Error> {
                Ok(Row {
                    image: Image {
                        kind: row.try_get(0)?,
                        value: row.try_get(1)?,
                        expire_at: row.try_get::<_, Option<i64>>(2)?.unwrap_or(0).max(0) as u64,
                    },
                    version: row.try_get::<_, i64>(3)?.max(0) as u64,
                })
            };
            get().map(Some).map_err(db_err)
        })
    }

    fn write(&self, batch: Batch) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let mut c = self.client().await?;
            let r = write_batch(&mut c, &batch).await.map_err(db_err);
            self.give_back(c);
            r
        })
    }

    fn cursor(&self) -> DbFuture<'_, u64> {
        Box::pin(async move {
            let c = self.client().await?;
            let r = c
                .query_opt("SELECT value FROM shoal_backing_state WHERE name = 'journal'", &[])
                .await
                .map_err(db_err);
            self.give_back(c);
            match r? {
                Some(row) => Ok(row.try_get::<_, i64>(0).map_err(db_err)?.max(0) as u64),
                None => Ok(0),
            }
        })
    }

    fn kind(&self) -> &'static str {
        "postgres"
    }
}
