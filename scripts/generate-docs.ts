/** `npm run docs`: rewrite the README rules table and rule page headers from rule metadata. */
import { readFileSync, writeFileSync } from "node:fs";
import { expectedDocs } from "./docs-lib.js";

let changed = 0;
for (const [path, text] of expectedDocs()) {
  if (readFileSync(path, "utf8") !== text) {
    writeFileSync(path, text);
    changed++;
    console.log(`updated ${path}`);
  }
}
console.log(changed ? `${changed} file(s) updated` : "docs up to date");
