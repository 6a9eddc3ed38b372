#!/usr/bin/env node
// `npm run example`: lint the bundled example shop with restate-guard's
// `strict` preset (from the built package, as a user would)
// and print the findings. The buggy shop has one planted bug per marker
// `// expect: restate/<rule>` (or `// expect (typed): …` for a finding only
// type information shows); the corrected shop must lint clean.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const eslint = new ESLint({ cwd: fixtures, overrideConfigFile: join(fixtures, "eslint.config.js") });
const results = await eslint.lintFiles(["shop-buggy/src", "shop/src"]);
const formatter = await eslint.loadFormatter("stylish");
process.stdout.write(await formatter.format(results));

let failed = false;
for (const app of ["shop-buggy", "shop"]) {
  const own = results.filter((r) => relative(fixtures, r.filePath).startsWith(`${app}/`));
  const found = own.flatMap((r) => r.messages.map((m) => `${relative(fixtures, r.filePath)}:${m.line} ${m.ruleId}`));
  const expected = own.flatMap((r) =>
    readFileSync(r.filePath, "utf8")
      .split("\n")
      .flatMap((line, i) => [...line.matchAll(/expect(?: \(typed\))?: (restate\/[\w-]+)/g)].map((m) => `${relative(fixtures, r.filePath)}:${i + 1} ${m[1]}`)),
  );
  const missing = expected.filter((e) => !found.includes(e));
  const unexpected = found.filter((f) => !expected.includes(f));
  console.log(
    `${app}: ${found.length} finding(s) in ${own.length} file(s); ${expected.length} expected` +
      (missing.length || unexpected.length ? ` — MISMATCH, missing: ${missing.join(", ") || "none"}; unexpected: ${unexpected.join(", ") || "none"}` : " — as intended"),
  );
  failed ||= missing.length > 0 || unexpected.length > 0;
}
process.exitCode = failed ? 1 : 0;
