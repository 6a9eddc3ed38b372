// Marks dist/cjs as CommonJS so Node and TypeScript read the runtime's CommonJS build as such.
import { writeFileSync } from "node:fs";

writeFileSync(new URL("../dist/cjs/package.json", import.meta.url), `${JSON.stringify({ type: "commonjs" })}\n`);
