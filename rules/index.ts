/** The rule registry: one import per file in rules/, keyed by rule id (the file name). */
import noContextInRun from "./no-context-in-run.js";

export const rules = {
  "no-context-in-run": noContextInRun,
};
