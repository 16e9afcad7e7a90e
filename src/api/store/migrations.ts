/**
 * The store's schema, as migrations: each brings the schema from version i to i + 1, applied in
 * its own transaction and recorded in the `migrations` table. Never edit one that has shipped.
 * 3: `meta` (which dsim wrote the store last) and `lease` (the one server that may write it).
 * 5: `scenario_versions`: an upload replaced keeps its id and every earlier version.
 */
/** Each migration brings the schema from version i to i + 1; never edit one that has shipped. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE scenarios (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     district TEXT NOT NULL,
     hazards TEXT NOT NULL,
     hash TEXT NOT NULL,
     format TEXT NOT NULL,
     text TEXT NOT NULL,
     scenario TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE runs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     batch_id TEXT,
     variant TEXT,
     scenario_id TEXT NOT NULL,
     scenario TEXT NOT NULL,
     params TEXT NOT NULL,
     seed INTEGER NOT NULL,
     hash TEXT NOT NULL,
     engine_version TEXT NOT NULL,
     status TEXT NOT NULL,
     done INTEGER NOT NULL DEFAULT 0,
     total INTEGER NOT NULL,
     checkpoint TEXT,
     checkpoint_done INTEGER NOT NULL DEFAULT 0,
     result TEXT,
     error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     finished_at TEXT
   );
   CREATE INDEX runs_scenario ON runs (scenario_id, seq);
   CREATE INDEX runs_status ON runs (status, seq);`,
  `CREATE TABLE studies (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     scenario_id TEXT NOT NULL,
     scenario TEXT NOT NULL,
     params TEXT NOT NULL,
     status TEXT NOT NULL,
     done INTEGER NOT NULL DEFAULT 0,
     total INTEGER NOT NULL DEFAULT 0,
     result TEXT,
     error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     finished_at TEXT
   );`,
  `CREATE TABLE meta (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );
   CREATE TABLE lease (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     token TEXT NOT NULL,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL,
     started_at TEXT NOT NULL,
     heartbeat_at INTEGER NOT NULL
   );`,
  // An imported scenario's zone polygons (zones.geojson), so its run reports draw the real map.
  `ALTER TABLE scenarios ADD COLUMN geometry TEXT;`,
  // Uploads replaced as versions (the id stays; every version is kept, so nothing stored is lost).
  `CREATE TABLE scenario_versions (
     id TEXT NOT NULL,
     version INTEGER NOT NULL,
     hash TEXT NOT NULL,
     format TEXT NOT NULL,
     text TEXT NOT NULL,
     scenario TEXT NOT NULL,
     geometry TEXT,
     created_at TEXT NOT NULL,
     PRIMARY KEY (id, version)
   );
   ALTER TABLE scenarios ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
   INSERT INTO scenario_versions (id, version, hash, format, text, scenario, geometry, created_at)
     SELECT id, 1, hash, format, text, scenario, geometry, created_at FROM scenarios;`,
];
