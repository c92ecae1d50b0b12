/**
 * A MySQL 5.7 server's data as it lives in its data directory (`/var/lib/mysql`, the
 * StatefulSet's PersistentVolume in "Run a Replicated Stateful Application"), so that it outlives
 * the container and the Pod, is what `xtrabackup` copies to a new replica, and what a restarted
 * `mysqld` finds again:
 *
 * - `mysql/`, `performance_schema/`, `sys/`, `auto.cnf`, `ibdata1`, `ib_logfile0/1`: made by the
 *   initialisation (`mysqld --initialize-insecure`, the image's docker-entrypoint.sh); the
 *   entrypoint and xtrabackup's clone step look for `mysql/`.
 * - `<db>/db.opt` (its text as MySQL writes it), `<db>/<table>.frm` and `<db>/<table>.ibd`. The
 *   real files are binary; here `.frm` holds the table's `SHOW CREATE TABLE` text and `.ibd` its
 *   rows, one JSON array a line (docs/divergences.md).
 * - With `log-bin`: `<host>-bin.NNNNNN` and `<host>-bin.index`. Each server start opens the next
 *   file, whose first event ends at 154 (5.7's format description and previous-GTIDs events);
 *   each logged statement advances the position by an estimate of its events' sizes (an anonymous
 *   GTID event and a query event; the real row events' sizes are not computed). The file holds
 *   the statements, one JSON object a line, which is what replicas read.
 * - A replica's `master.info` and `relay-log.info` (master_info_repository=FILE, 5.7's default):
 *   the primary it follows and the binary log position it has applied.
 */
import type { Vfs } from "../../runtime/types.ts";
import { SqlError, parseStatement, type ColumnDef, type Outcome, type ResultSet, type SqlValue, type Statement } from "./mysqlsql.ts";

export const DATADIR = "/var/lib/mysql";
const SYSTEM_SCHEMAS = ["information_schema", "mysql", "performance_schema", "sys"];
const DB_OPT = "default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n";
/** 5.7's first event position in a new binary log file. */
export const BINLOG_START = 154;

export interface ServerVars {
  serverId: number;
  hostname: string;
  /** `5.7.44-log` (with the binary log) or `5.7.44`. */
  version: string;
  port: number;
  readOnly: boolean;
  superReadOnly: boolean;
  /** The binary log's base name (`mysql-0-bin`), when `log-bin` is on. */
  logBin?: string;
}

export interface Table {
  columns: ColumnDef[];
  rows: SqlValue[][];
}

/** A statement the primary logged: what a replica reads and applies. */
export interface BinlogEvent {
  file: string;
  /** Where the event starts and where the next one starts. */
  pos: number;
  end: number;
  db: string | undefined;
  sql: string;
}

export interface Session {
  db?: string;
  /** The replication applier: read-only settings do not stop it. */
  replication?: boolean;
}

/** Where a replica reads from (CHANGE MASTER TO) and how far it has applied. */
export interface MasterInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  connectRetry: number;
  logFile: string;
  logPos: number;
}

/** `SHOW CREATE TABLE`'s text of a table. */
export function createTableText(name: string, columns: ColumnDef[]): string {
  const cols = columns.map((c) => `  \`${c.name}\` ${c.type}${c.notNull ? " NOT NULL" : " DEFAULT NULL"}`);
  return `CREATE TABLE \`${name}\` (\n${cols.join(",\n")}\n) ENGINE=InnoDB DEFAULT CHARSET=latin1`;
}

const NUMERIC = /^(int|bigint|smallint|tinyint)/;

/** The server's databases and tables, read from and written through to its data directory. */
export class MysqlEngine {
  readonly databases = new Map<string, Map<string, Table>>();
  binlogFile: string | undefined;
  binlogPos = 0;
  master: MasterInfo | undefined;

  constructor(
    readonly fs: Vfs,
    readonly vars: ServerVars,
    private readonly now: () => number,
    readonly datadir = DATADIR,
  ) {}

  private path(...parts: string[]): string {
    return [this.datadir, ...parts].join("/");
  }

  /** Whether the data directory holds an initialised server (docker-entrypoint.sh: `[ -d "$DATADIR/mysql" ]`). */
  initialised(): boolean {
    return this.fs.stat(this.path("mysql"))?.type === "dir";
  }

  /** `mysqld --initialize-insecure`: the system schemas and InnoDB's files. `uuid` is the server's auto.cnf UUID. */
  initialise(uuid: string): void {
    this.fs.mkdir(this.datadir, { recursive: true });
    for (const s of ["mysql", "performance_schema", "sys"]) {
      this.fs.mkdir(this.path(s), { recursive: true });
      this.fs.writeFile(this.path(s, "db.opt"), s === "mysql" ? "default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n" : "default-character-set=utf8\ndefault-collation=utf8_general_ci\n");
    }
    this.fs.writeFile(this.path("auto.cnf"), `[auto]\nserver-uuid=${uuid}\n`);
    for (const f of ["ibdata1", "ib_logfile0", "ib_logfile1", "ib_buffer_pool"]) this.fs.writeFile(this.path(f), "");
  }

  /** Reads the databases, tables, rows, binary log and replication state the data directory holds. */
  load(): void {
    this.databases.clear();
    for (const name of this.fs.readdir(this.datadir)) {
      if (SYSTEM_SCHEMAS.includes(name) || this.fs.stat(this.path(name))?.type !== "dir") continue;
      if (this.fs.stat(this.path(name, "db.opt"))?.type !== "file") continue;
      const tables = new Map<string, Table>();
      for (const f of this.fs.readdir(this.path(name))) {
        if (!f.endsWith(".frm")) continue;
        const t = f.slice(0, -4);
        const st = parseStatement(this.fs.readFile(this.path(name, f)));
        if (st.k !== "createTable") continue;
        const ibd = this.path(name, `${t}.ibd`);
        const rows = this.fs.stat(ibd)
          ? this.fs
              .readFile(ibd)
              .split("\n")
              .filter(Boolean)
              .map((l) => JSON.parse(l) as SqlValue[])
          : [];
        tables.set(t, { columns: st.columns, rows });
      }
      this.databases.set(name, tables);
    }
    this.master = this.readMasterInfo();
  }

  /** A server start with `log-bin`: the next binary log file. */
  openBinlog(): void {
    const base = this.vars.logBin;
    if (!base) return;
    const index = this.path(`${base}.index`);
    const files = this.fs.stat(index) ? this.fs.readFile(index).split("\n").filter(Boolean) : [];
    const n = files.length + 1;
    const file = `${base}.${String(n).padStart(6, "0")}`;
    this.fs.writeFile(index, [...files, `./${file}`].join("\n") + "\n");
    this.fs.writeFile(this.path(file), "");
    this.binlogFile = file;
    this.binlogPos = BINLOG_START;
  }

  /** The binary log's files in order. */
  binlogFiles(): string[] {
    const base = this.vars.logBin;
    if (!base || !this.fs.stat(this.path(`${base}.index`))) return [];
    return this.fs
      .readFile(this.path(`${base}.index`))
      .split("\n")
      .filter(Boolean)
      .map((l) => l.replace(/^\.\//, ""));
  }

  /** The events logged after (file, pos), in order: what a replica's I/O thread reads. */
  eventsAfter(file: string, pos: number): BinlogEvent[] | SqlError {
    const files = this.binlogFiles();
    const i = files.indexOf(file);
    if (i < 0) return new SqlError(1236, "HY000", "Got fatal error 1236 from master when reading data from binary log: 'Could not find first log file name in binary log index file'");
    const out: BinlogEvent[] = [];
    for (const f of files.slice(i)) {
      for (const line of this.fs.readFile(this.path(f)).split("\n")) {
        if (!line) continue;
        const e = JSON.parse(line) as BinlogEvent;
        if (f !== file || e.pos >= pos) out.push(e);
      }
    }
    return out;
  }

  private log(db: string | undefined, sql: string): BinlogEvent | undefined {
    if (!this.binlogFile) return undefined;
    const pos = this.binlogPos;
    // An anonymous GTID event (65 bytes) and a query event: header 19, post-header 13, status
    // variables, the database, the statement, the checksum.
    const end = pos + 65 + 19 + 13 + 26 + (db?.length ?? 0) + 1 + Buffer.byteLength(sql) + 4;
    const e: BinlogEvent = { file: this.binlogFile, pos, end, db, sql };
    this.fs.writeFile(this.path(this.binlogFile), JSON.stringify(e) + "\n", { append: true });
    this.binlogPos = end;
    return e;
  }

  // ---- replication state --------------------------------------------------------------------

  private readMasterInfo(): MasterInfo | undefined {
    const p = this.path("master.info");
    if (!this.fs.stat(p)) return undefined;
    const l = this.fs.readFile(p).split("\n");
    const relay = this.fs.stat(this.path("relay-log.info")) ? this.fs.readFile(this.path("relay-log.info")).split("\n") : [];
    return {
      logFile: relay[3] || l[1] || "",
      logPos: Number(relay[4] || l[2]) || 4,
      host: l[3] ?? "",
      user: l[4] ?? "",
      password: l[5] ?? "",
      port: Number(l[6]) || 3306,
      connectRetry: Number(l[7]) || 60,
    };
  }

  /** Writes master.info (what was read from the primary) and relay-log.info (what was applied). */
  saveMasterInfo(): void {
    const m = this.master;
    if (!m) return;
    this.fs.writeFile(this.path("master.info"), ["25", m.logFile, String(m.logPos), m.host, m.user, m.password, String(m.port), String(m.connectRetry), ""].join("\n"));
    const relay = `${this.vars.hostname}-relay-bin`;
    this.fs.writeFile(this.path("relay-log.info"), ["7", `./${relay}.000001`, "4", m.logFile, String(m.logPos), "0", "0", "1", ""].join("\n"));
  }

  // ---- statements ---------------------------------------------------------------------------

  private database(name: string | undefined): Map<string, Table> {
    if (name === undefined) throw new SqlError(1046, "3D000", "No database selected");
    const d = this.databases.get(name);
    if (!d) throw new SqlError(1049, "42000", `Unknown database '${name}'`);
    return d;
  }

  private table(session: Session, db: string | undefined, name: string): { db: string; t: Table } {
    const dbName = db ?? session.db;
    if (dbName === undefined) throw new SqlError(1046, "3D000", "No database selected");
    const t = this.databases.get(dbName)?.get(name);
    if (!t) throw new SqlError(1146, "42S02", `Table '${dbName}.${name}' doesn't exist`);
    return { db: dbName, t };
  }

  /** Writes are refused under read_only / super_read_only, except to the replication applier. */
  private writable(session: Session): void {
    if (session.replication) return;
    if (this.vars.superReadOnly) throw new SqlError(1290, "HY000", "The MySQL server is running with the --super-read-only option so it cannot execute this statement");
  }

  private saveRows(db: string, name: string, t: Table): void {
    this.fs.writeFile(this.path(db, `${name}.ibd`), t.rows.map((r) => JSON.stringify(r) + "\n").join(""));
  }

  private sysvar(name: string): { v: SqlValue; num: boolean } {
    const v = this.vars;
    switch (name) {
      case "server_id":
        return { v: v.serverId, num: true };
      case "hostname":
        return { v: v.hostname, num: false };
      case "version":
        return { v: v.version, num: false };
      case "port":
        return { v: v.port, num: true };
      case "read_only":
        return { v: v.readOnly || v.superReadOnly ? 1 : 0, num: true };
      case "super_read_only":
        return { v: v.superReadOnly ? 1 : 0, num: true };
      case "log_bin":
        return { v: v.logBin ? 1 : 0, num: true };
      case "datadir":
        return { v: `${this.datadir}/`, num: false };
      default:
        throw new SqlError(1193, "HY000", `Unknown system variable '${name}'`);
    }
  }

  /** `2024-01-08 00:00:05`: NOW() in the server's time zone (UTC, the image's). */
  private nowText(): string {
    return new Date(this.now()).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
  }

  /**
   * Runs one parsed statement for a session; throws SqlError as the server answers. `sql` is the
   * statement's text (what the binary log records). Replication statements are the caller's
   * (the server process starts and stops its threads); here they only check and record.
   */
  execute(session: Session, st: Statement, sql: string): Outcome & { logged?: BinlogEvent } {
    switch (st.k) {
      case "select":
        return { rows: this.select(session, st) };
      case "use":
        this.database(st.db);
        session.db = st.db;
        return { affected: 0 };
      case "showDatabases": {
        const names = [...SYSTEM_SCHEMAS.filter((s) => s === "information_schema" || this.fs.stat(this.path(s))), ...this.databases.keys()];
        names.sort((a, b) => (a === "information_schema" ? -1 : b === "information_schema" ? 1 : a < b ? -1 : a > b ? 1 : 0));
        return { rows: { columns: ["Database"], numeric: [false], rows: names.map((n) => [n]) } };
      }
      case "showTables": {
        const db = st.db ?? session.db;
        const tables = [...this.database(db).keys()].sort();
        return { rows: { columns: [`Tables_in_${db}`], numeric: [false], rows: tables.map((t) => [t]) } };
      }
      case "showMasterStatus":
        return {
          rows: {
            columns: ["File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set"],
            numeric: [false, true, false, false, false],
            rows: this.binlogFile ? [[this.binlogFile, this.binlogPos, "", "", ""]] : [],
          },
        };
      case "createDatabase": {
        this.writable(session);
        if (this.databases.has(st.name) || SYSTEM_SCHEMAS.includes(st.name)) {
          if (st.ifNotExists) return { affected: 1 };
          throw new SqlError(1007, "HY000", `Can't create database '${st.name}'; database exists`);
        }
        this.fs.mkdir(this.path(st.name), { recursive: true });
        this.fs.writeFile(this.path(st.name, "db.opt"), DB_OPT);
        this.databases.set(st.name, new Map());
        return { affected: 1, logged: this.log(session.db, sql) };
      }
      case "dropDatabase": {
        this.writable(session);
        const d = this.databases.get(st.name);
        if (!d) {
          if (st.ifExists) return { affected: 0 };
          throw new SqlError(1008, "HY000", `Can't drop database '${st.name}'; database doesn't exist`);
        }
        this.fs.rmdir(this.path(st.name), { recursive: true });
        this.databases.delete(st.name);
        return { affected: d.size, logged: this.log(session.db, sql) };
      }
      case "createTable": {
        const dbName = st.db ?? session.db;
        const d = this.database(dbName);
        this.writable(session);
        if (d.has(st.table)) {
          if (st.ifNotExists) return { affected: 0 };
          throw new SqlError(1050, "42S01", `Table '${st.table}' already exists`);
        }
        const names = new Set<string>();
        for (const c of st.columns) {
          if (names.has(c.name.toLowerCase())) throw new SqlError(1060, "42S21", `Duplicate column name '${c.name}'`);
          names.add(c.name.toLowerCase());
        }
        const t: Table = { columns: st.columns, rows: [] };
        d.set(st.table, t);
        this.fs.writeFile(this.path(dbName!, `${st.table}.frm`), createTableText(st.table, st.columns));
        this.saveRows(dbName!, st.table, t);
        return { affected: 0, logged: this.log(session.db, sql) };
      }
      case "dropTable": {
        const dbName = st.db ?? session.db;
        const d = this.database(dbName);
        this.writable(session);
        if (!d.has(st.table)) {
          if (st.ifExists) return { affected: 0 };
          throw new SqlError(1051, "42S02", `Unknown table '${dbName}.${st.table}'`);
        }
        d.delete(st.table);
        for (const ext of [".frm", ".ibd"]) if (this.fs.stat(this.path(dbName!, st.table + ext))) this.fs.unlink(this.path(dbName!, st.table + ext));
        return { affected: 0, logged: this.log(session.db, sql) };
      }
      case "insert": {
        const { db, t } = this.table(session, st.db, st.table);
        this.writable(session);
        const cols = st.columns ?? t.columns.map((c) => c.name);
        const idx = cols.map((c) => {
          const i = t.columns.findIndex((d) => d.name.toLowerCase() === c.toLowerCase());
          if (i < 0) throw new SqlError(1054, "42S22", `Unknown column '${c}' in 'field list'`);
          return i;
        });
        const rows: SqlValue[][] = [];
        st.rows.forEach((values, n) => {
          if (values.length !== cols.length) throw new SqlError(1136, "21S01", `Column count doesn't match value count at row ${n + 1}`);
          const row: SqlValue[] = t.columns.map(() => null);
          values.forEach((v, j) => {
            const c = t.columns[idx[j]!]!;
            row[idx[j]!] = coerce(c, v, n + 1);
          });
          t.columns.forEach((c, j) => {
            if (c.notNull && row[j] === null) throw new SqlError(1048, "23000", `Column '${c.name}' cannot be null`);
          });
          rows.push(row);
        });
        t.rows.push(...rows);
        this.saveRows(db, st.table, t);
        return { affected: rows.length, logged: this.log(session.db, sql) };
      }
      case "changeMaster":
      case "startSlave":
      case "stopSlave":
        return { affected: 0 };
    }
  }

  private select(session: Session, st: Statement & { k: "select" }): ResultSet {
    const from = st.from ? this.table(session, st.from.db, st.from.table) : undefined;
    const cols = from?.t.columns ?? [];
    const colIndex = (name: string, clause: string) => {
      const i = cols.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
      if (i < 0) throw new SqlError(1054, "42S22", `Unknown column '${name}' in '${clause}'`);
      return i;
    };
    let rows: SqlValue[][] = from ? from.t.rows : [[]];
    if (st.where && from) {
      const i = colIndex(st.where.col, "where clause");
      const want = st.where.value;
      rows = rows.filter((r) => r[i] !== null && want !== null && String(r[i]).toLowerCase() === String(want).toLowerCase());
    }
    const hasCount = st.items.some((it) => it !== undefined && it.expr !== "*" && it.expr.k === "count");
    const columns: string[] = [];
    const numeric: boolean[] = [];
    const getters: Array<(r: SqlValue[]) => SqlValue> = [];
    for (const it of st.items) {
      if (it.expr === "*") {
        if (!from) throw new SqlError(1096, "HY000", "No tables used");
        cols.forEach((c, i) => {
          columns.push(c.name);
          numeric.push(NUMERIC.test(c.type));
          getters.push((r) => r[i] ?? null);
        });
        continue;
      }
      const e = it.expr;
      columns.push(it.name);
      switch (e.k) {
        case "lit":
          numeric.push(typeof e.v === "number");
          getters.push(() => e.v);
          break;
        case "sysvar": {
          const v = this.sysvar(e.name);
          numeric.push(v.num);
          getters.push(() => v.v);
          break;
        }
        case "fn": {
          const v = e.name === "VERSION" ? this.vars.version : e.name === "DATABASE" ? (session.db ?? null) : this.nowText();
          numeric.push(false);
          getters.push(() => v);
          break;
        }
        case "count":
          numeric.push(true);
          getters.push(() => rows.length);
          break;
        case "col": {
          if (!from) throw new SqlError(1054, "42S22", `Unknown column '${e.name}' in 'field list'`);
          const i = colIndex(e.name, "field list");
          numeric.push(NUMERIC.test(cols[i]!.type));
          getters.push((r) => r[i] ?? null);
          break;
        }
      }
    }
    let out = hasCount ? [getters.map((g) => g(rows[0] ?? []))] : rows.map((r) => getters.map((g) => g(r)));
    if (st.limit !== undefined) out = out.slice(0, st.limit);
    return { columns, numeric, rows: out };
  }
}

/** A value stored in a column, as strict mode (5.7's default sql_mode) takes it. */
function coerce(c: ColumnDef, v: SqlValue, row: number): SqlValue {
  if (v === null) return null;
  if (NUMERIC.test(c.type)) {
    const n = typeof v === "number" ? v : Number(v.trim());
    if (!Number.isFinite(n)) throw new SqlError(1366, "HY000", `Incorrect integer value: '${v}' for column '${c.name}' at row ${row}`);
    return Math.round(n);
  }
  const s = String(v);
  const m = /^(?:var)?char\((\d+)\)$/.exec(c.type);
  if (m && s.length > Number(m[1])) throw new SqlError(1406, "22001", `Data too long for column '${c.name}' at row ${row}`);
  return s;
}
