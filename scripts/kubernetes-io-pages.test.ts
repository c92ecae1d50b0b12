// docs/kubernetes-io-pages.md stays true to the features: every Task or Tutorial page a feature
// cites on a `# Source:` line has a "yes" row naming that feature, and every feature a row names
// exists and cites the row's page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const DOC = "docs/kubernetes-io-pages.md";

function featureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...featureFiles(p));
    else if (name.endsWith(".feature")) out.push(p);
  }
  return out;
}

/** The pages a feature cites: `# Source: https://kubernetes.io/docs/<page>/`, anchors dropped. */
function citedPages(file: string): string[] {
  const pages = new Set<string>();
  for (const m of readFileSync(file, "utf8").matchAll(/# Source: https:\/\/kubernetes\.io\/docs\/([a-z0-9/-]+)/g)) pages.add(m[1]!.replace(/\/+$/, ""));
  return [...pages];
}

interface Row {
  page: string;
  status: string;
  features: string[];
}

function rows(): Map<string, Row> {
  const m = new Map<string, Row>();
  for (const line of readFileSync(DOC, "utf8").split("\n")) {
    const cells = /^\| ([a-z0-9/-]+) \| ([a-z ]+) \| (.*) \|$/.exec(line);
    if (!cells) continue;
    const [, page, status, rest] = cells;
    assert.ok(!m.has(page!), `${DOC}: ${page} has two rows`);
    m.set(page!, { page: page!, status: status!, features: [...rest!.matchAll(/`(features\/[^`]+\.feature)`/g)].map((x) => x[1]!) });
  }
  return m;
}

test("every Task or Tutorial page a feature cites has a 'yes' row naming that feature", () => {
  const table = rows();
  assert.ok(table.size > 150, `${DOC} lists ${table.size} pages`);
  for (const file of featureFiles("features")) {
    for (const page of citedPages(file)) {
      if (!/^(tasks|tutorials)\//.test(page) && !table.has(page)) continue;
      const row = table.get(page);
      assert.ok(row, `${file} cites ${page}, which ${DOC} does not list`);
      assert.equal(row.status, "yes", `${DOC}: ${page} runs in ${file} but is marked '${row.status}'`);
      assert.ok(row.features.includes(file), `${DOC}: the row of ${page} does not name ${file}`);
    }
  }
});

test("every feature a row names exists and cites the row's page; only 'yes' rows name features", () => {
  for (const row of rows().values()) {
    if (row.status !== "yes") {
      assert.deepEqual(row.features, [], `${DOC}: ${row.page} is '${row.status}' but names features as a 'yes' row does`);
      continue;
    }
    assert.ok(row.features.length > 0, `${DOC}: ${row.page} is 'yes' without a feature`);
    for (const f of row.features) {
      assert.ok(existsSync(f), `${DOC}: ${row.page} names ${f}, which does not exist`);
      assert.ok(citedPages(f).includes(row.page), `${DOC}: ${f} does not cite ${row.page}`);
    }
  }
});
