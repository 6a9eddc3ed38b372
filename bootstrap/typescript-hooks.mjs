/**
 * The ES module half of ./typescript.cjs: an import of `typescript` from restate-guard's analysis stack that would
 * load a TypeScript without the compiler API resolves from restate-guard's own folder instead. Registered only when
 * that is the case (a TypeScript 7 project).
 */
let data;

export function initialize(options) {
  data = options;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const parent = context.parentURL ?? "";
  if (
    (specifier === "typescript" || specifier.startsWith("typescript/")) &&
    result.url.startsWith(data.unusable) &&
    (parent.startsWith(data.stack[0]) || data.stack.slice(1).some((part) => parent.includes(part)))
  ) {
    return next(specifier, { ...context, parentURL: data.parentURL });
  }
  return result;
}
