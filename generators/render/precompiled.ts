// The templates precompiled by Handlebars, keyed like loadTemplates() (`argocd/cm.yaml.hbs`).
// Undefined in the sources: the engine then compiles templates/ on first use. scripts/build-dist.mjs
// replaces this module in dist/ with every template precompiled (same options as the engine's),
// so the bundle neither reads templates/ nor loads the Handlebars compiler.

export type PrecompiledTemplates = Record<string, TemplateSpecification>;

export const PRECOMPILED_TEMPLATES: PrecompiledTemplates | undefined = undefined;
