import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { contextKindOfAnnotation } from "../core/annotations.js";
import { walk, type FunctionNode } from "../core/ast.js";
import type { HandlerInfo } from "../core/handlers.js";
import { createRule } from "../core/create-rule.js";
import { SDK_MODULES, type ContextKind } from "../core/sdk.js";
import { exportSpelling } from "../core/spelling.js";

type MessageIds = "registeredExclusive" | "wrapShared";

const SHARED_KINDS: ReadonlySet<ContextKind> = new Set(["object-shared", "workflow-shared"]);

export default createRule<[], MessageIds>({
  name: "shared-handler-registration",
  meta: {
    type: "problem",
    docs: {
      description: "Require object handlers whose context is annotated shared to be registered with `handlers.object.shared`",
      recommended: "recommended",
    },
    fixable: "code",
    hasSuggestions: true,
    messages: {
      registeredExclusive:
        "`{{handler}}` takes `{{type}}`, but a plain function in `object()` is registered exclusive and takes the key's lock. Wrap it in `{{wrapper}}(...)`.",
      wrapShared: "Wrap `{{handler}}` in `{{wrapper}}(...)`.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active || analysis.handlers.size === 0 || !analysis.imports) return {};
    const sourceCode = context.sourceCode;
    return {
      Program() {
        for (const handler of analysis.handlers.values()) {
          if (handler.wrapped || handler.component.kind !== "object" || handler.kind !== "object-exclusive") continue;
          const property = handler.registration;
          if (property.type !== AST_NODE_TYPES.Property || property.kind !== "init") continue;
          const type = sharedAnnotation(analysis, handler.fn);
          if (!type) continue;
          const wrapper = wrapperFor(analysis, sourceCode, handler);
          const edit = wrapper ? rewrite(sourceCode, property, handler.fn, wrapper) : null;
          // `WorkflowSharedContext` is not what `handlers.object.shared` passes: the wrapped code would not type-check.
          if (edit && type.kind !== "object-shared") edit.safe = false;
          const data = {
            handler: handler.name,
            object: handler.component.name ?? "this object",
            type: type.text,
            wrapper: wrapper?.text ?? "restate.handlers.object.shared",
          };
          const fix = edit && wrapper ? (fixer: TSESLint.RuleFixer) => [...wrapper.extra(fixer), ...edit(fixer)] : null;
          context.report({
            node: property.key,
            messageId: "registeredExclusive",
            data,
            fix: fix && edit?.safe ? fix : null,
            suggest: fix && !edit?.safe ? [{ messageId: "wrapShared", data, fix }] : [],
          });
        }
      },
    };
  },
});

/** The annotation of the handler's first parameter when it names a shared context (its text and kind); null otherwise. */
function sharedAnnotation(analysis: RestateAnalysis, fn: FunctionNode): { text: string; kind: ContextKind } | null {
  const param = fn.params[0];
  if (param?.type !== AST_NODE_TYPES.Identifier || !param.typeAnnotation) return null;
  const annotation = param.typeAnnotation.typeAnnotation;
  let kind = contextKindOfAnnotation(analysis.sourceCode, analysis.imports!, annotation);
  if (!kind && analysis.types && annotation.type === AST_NODE_TYPES.TSTypeReference) {
    kind = analysis.types.contextKind(analysis.types.typeOf(param));
  }
  if (!kind || !SHARED_KINDS.has(kind)) return null;
  const text = analysis.sourceCode.getText(annotation);
  return { text: text.length <= 40 ? text : `${text.slice(0, 39)}…`, kind };
}

interface Wrapper {
  /** `restate.handlers.object.shared` or `handlers.object.shared`. */
  readonly text: string;
  /** Edits besides the wrap itself (adding `handlers` to a named import). */
  readonly extra: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];
}

/**
 * How this file can spell `handlers.object.shared` at the registration, in its
 * own import style (core/spelling.ts): through a namespace import of the
 * module the component was created from, an existing `handlers` import, or by
 * adding `handlers` to a named import of that module. Null when none is safe.
 */
function wrapperFor(analysis: RestateAnalysis, sourceCode: TSESLint.SourceCode, handler: HandlerInfo): Wrapper | null {
  const resolved = analysis.imports!.resolve(handler.component.call.callee);
  if (!resolved || !SDK_MODULES.has(resolved.module)) return null;
  const spelling = exportSpelling(analysis.imports, sourceCode, handler.registration, new Set([resolved.module]), "handlers", { addImport: true });
  if (!spelling) return null;
  const importFix = spelling.importFix;
  return { text: `${spelling.text}.object.shared`, extra: (fixer) => (importFix ? [importFix(fixer)] : []) };
}

/**
 * Whether a function's own body uses `this`, `super` or `arguments`: in the
 * body itself or in arrow functions nested in it (they share the receiver),
 * not in nested non-arrow functions or class members (they have their own).
 */
function usesReceiver(fn: FunctionNode, sourceCode: TSESLint.SourceCode): boolean {
  // `arguments` resolves to the function scope's implicit variable from the body and from nested arrows only.
  if ((sourceCode.scopeManager?.acquire(fn, true)?.set.get("arguments")?.references.length ?? 0) > 0) return true;
  let found = false;
  const visit = (node: TSESTree.Node): boolean => {
    if (found) return false;
    if (node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.Super) {
      found = true;
      return false;
    }
    if (node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.FunctionDeclaration) return false;
    if (node.type === AST_NODE_TYPES.ClassBody) {
      // Only computed member names are evaluated with the outer receiver.
      for (const member of node.body) if ("computed" in member && member.computed) walk(member.key, visit);
      return false;
    }
    return true;
  };
  walk(fn.body, visit);
  return found;
}

/**
 * The text edit that wraps the registration in `wrapper(...)`, and whether it
 * is safe as an autofix (else it is offered as a suggestion).
 */
function rewrite(
  sourceCode: TSESLint.SourceCode,
  property: TSESTree.Property,
  fn: FunctionNode,
  wrapper: Wrapper,
): (((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[]) & { safe: boolean }) | null {
  const keyText = property.computed ? `[${sourceCode.getText(property.key)}]` : sourceCode.getText(property.key);
  let edit: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];
  let safe = true;
  if (property.method) {
    const value = property.value;
    if (value.type !== AST_NODE_TYPES.FunctionExpression || value !== fn) return null;
    // Generic or overloaded methods, and bodies that use `this`/`super`/`arguments`, change meaning or types.
    if (value.typeParameters || usesReceiver(value, sourceCode)) safe = false;
    if (value.generator) return null;
    const head = `${keyText}: ${wrapper.text}(${value.async ? "async " : ""}function `;
    edit = (fixer) => [fixer.replaceTextRange([property.range[0], value.range[0]], head), fixer.insertTextAfter(value, ")")];
  } else if (property.shorthand) {
    const value = property.value;
    if (value.type !== AST_NODE_TYPES.Identifier) return null;
    edit = (fixer) => [fixer.replaceText(property, `${keyText}: ${wrapper.text}(${value.name})`)];
  } else {
    const value = property.value;
    if (fn.type === AST_NODE_TYPES.FunctionExpression && fn === value && (fn.typeParameters || usesReceiver(fn, sourceCode))) safe = false;
    edit = (fixer) => [fixer.insertTextBefore(value, `${wrapper.text}(`), fixer.insertTextAfter(value, ")")];
  }
  return Object.assign(edit, { safe });
}
