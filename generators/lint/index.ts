// Public API of the policy linter.
export { lintResources } from './engine.ts';
export { loadLintConfig, LintConfigError } from './config.ts';
export { rules } from './registry.ts';
export { SUPPRESS_ANNOTATION } from './suppress.ts';
export type { LintConfig, LintContext, LintOptions, Rule, RuleFinding } from './types.ts';
