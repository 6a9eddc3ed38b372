import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";

type Variable = TSESLint.Scope.Variable;

/** One local binding of an imported module (ESM import or top-level `require`). */
export interface ImportedBinding {
  /** Module specifier with any `node:` prefix removed. */
  readonly module: string;
  /** Exported name; `null` when the binding is the whole module (namespace, default, `require`). */
  readonly imported: string | null;
  readonly local: string;
  readonly variable: Variable;
}

/** An expression resolved to a path inside an imported module: `restate.handlers.object.shared` → `["handlers","object","shared"]`. */
export interface ModulePath {
  readonly module: string;
  readonly path: readonly string[];
  readonly binding: ImportedBinding;
}

export function normalizeModule(source: string): string {
  return source.startsWith("node:") ? source.slice(5) : source;
}

/** The name of a non-computed member, or of a computed member with a string literal key. */
export function memberName(node: TSESTree.MemberExpression): string | null {
  if (!node.computed) {
    return node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : null;
  }
  return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === "string"
    ? node.property.value
    : null;
}

/**
 * Whether the program names a module whose specifier starts with `prefix` in
 * a top-level import, re-export, `import x = require(...)` or `require(...)`
 * declaration: the statements ImportIndex reads (and re-exports), found from
 * the syntax tree's top level alone, so as cheap as a text search and blind
 * to comments and strings elsewhere.
 */
export function importsModuleUnder(program: TSESTree.Program, prefix: string): boolean {
  for (const statement of program.body) {
    switch (statement.type) {
      case AST_NODE_TYPES.ImportDeclaration:
      case AST_NODE_TYPES.ExportAllDeclaration:
        if (statement.source.value.startsWith(prefix)) return true;
        break;
      case AST_NODE_TYPES.ExportNamedDeclaration:
        if (statement.source?.value.startsWith(prefix)) return true;
        break;
      case AST_NODE_TYPES.TSImportEqualsDeclaration: {
        const reference = statement.moduleReference;
        if (reference.type === AST_NODE_TYPES.TSExternalModuleReference && reference.expression.value.startsWith(prefix)) return true;
        break;
      }
      case AST_NODE_TYPES.VariableDeclaration:
        for (const declarator of statement.declarations) {
          const source = requiredModule(declarator.init);
          if (source?.startsWith(prefix)) return true;
        }
        break;
      default:
        break;
    }
  }
  return false;
}

/** The specifier of `require("m")`, or null. */
function requiredModule(init: TSESTree.Expression | null): string | null {
  if (
    init?.type !== AST_NODE_TYPES.CallExpression ||
    init.callee.type !== AST_NODE_TYPES.Identifier ||
    init.callee.name !== "require" ||
    init.arguments.length !== 1 ||
    init.arguments[0].type !== AST_NODE_TYPES.Literal ||
    typeof init.arguments[0].value !== "string"
  ) {
    return null;
  }
  return init.arguments[0].value;
}

/**
 * Every import of the file, indexed by the identifiers that reference it, so
 * that resolving `x.y.z` to a module export is a map look-up, not a scope walk.
 */
export class ImportIndex {
  readonly bindings: ImportedBinding[] = [];
  readonly modules = new Set<string>();
  private readonly byReference = new Map<TSESTree.Identifier | TSESTree.JSXIdentifier, ImportedBinding>();

  constructor(program: TSESTree.Program, scopeManager: TSESLint.Scope.ScopeManager) {
    for (const statement of program.body) {
      if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
        this.addImport(statement, scopeManager);
      } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const declarator of statement.declarations) this.addRequire(declarator, scopeManager);
      }
    }
  }

  /** The binding an identifier refers to, when it refers to an import. */
  bindingOf(identifier: TSESTree.Node): ImportedBinding | undefined {
    return identifier.type === AST_NODE_TYPES.Identifier ? this.byReference.get(identifier) : undefined;
  }

  /** Resolves `a.b.c` (identifier or member chain, `globalThis` not included) to a module path. */
  resolve(node: TSESTree.Node): ModulePath | null {
    const path: string[] = [];
    let current: TSESTree.Node = node;
    while (current.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(current);
      if (name === null) return null;
      path.unshift(name);
      current = current.object;
    }
    if (current.type === AST_NODE_TYPES.TSQualifiedName) return this.resolveQualified(current);
    const binding = this.bindingOf(current);
    if (!binding) return null;
    return { module: binding.module, path: binding.imported === null ? path : [binding.imported, ...path], binding };
  }

  /** Resolves a type name such as `restate.ObjectContext` or `ObjectContext`. */
  resolveTypeName(node: TSESTree.EntityName): ModulePath | null {
    if (node.type === AST_NODE_TYPES.TSQualifiedName) return this.resolveQualified(node);
    if (node.type !== AST_NODE_TYPES.Identifier) return null;
    return this.resolve(node);
  }

  hasModule(modules: ReadonlySet<string>): boolean {
    for (const module of this.modules) if (modules.has(module)) return true;
    return false;
  }

  private resolveQualified(node: TSESTree.TSQualifiedName): ModulePath | null {
    const path: string[] = [];
    let current: TSESTree.EntityName = node;
    while (current.type === AST_NODE_TYPES.TSQualifiedName) {
      path.unshift(current.right.name);
      current = current.left;
    }
    const binding = this.bindingOf(current);
    if (!binding) return null;
    return { module: binding.module, path: binding.imported === null ? path : [binding.imported, ...path], binding };
  }

  private addImport(declaration: TSESTree.ImportDeclaration, scopeManager: TSESLint.Scope.ScopeManager): void {
    const module = normalizeModule(declaration.source.value);
    this.modules.add(module);
    for (const specifier of declaration.specifiers) {
      let imported: string | null = null;
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
        imported =
          specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
        // `import { default as x }` is the whole module for CommonJS-shaped packages.
        if (imported === "default") imported = null;
      }
      for (const variable of scopeManager.getDeclaredVariables(specifier)) {
        this.add({ module, imported, local: variable.name, variable });
      }
    }
  }

  /** `const restate = require("...")` and `const { service } = require("...")` at the top level. */
  private addRequire(declarator: TSESTree.VariableDeclarator, scopeManager: TSESLint.Scope.ScopeManager): void {
    const source = requiredModule(declarator.init);
    if (source === null) return;
    const module = normalizeModule(source);
    this.modules.add(module);
    const variables = scopeManager.getDeclaredVariables(declarator);
    if (declarator.id.type === AST_NODE_TYPES.Identifier) {
      for (const variable of variables) this.add({ module, imported: null, local: variable.name, variable });
      return;
    }
    if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern) return;
    for (const property of declarator.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
      const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : null;
      const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      if (key === null || value.type !== AST_NODE_TYPES.Identifier) continue;
      const variable = variables.find((v) => v.name === (value as TSESTree.Identifier).name);
      if (variable) this.add({ module, imported: key, local: variable.name, variable });
    }
  }

  private add(binding: ImportedBinding): void {
    this.bindings.push(binding);
    for (const reference of binding.variable.references) {
      this.byReference.set(reference.identifier, binding);
    }
  }
}
