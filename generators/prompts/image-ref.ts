// `ghcr.io/acme/web:1.4.2@sha256:...` -> repository, tag, digest: how people write an image, split
// into the model's fields (platform.yaml keeps them apart so overlays can pin tags per environment).

export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits an image reference as the container runtimes do: the digest follows `@`, the tag is what
 * follows the last `:` after the last `/` (so a registry port, `registry:5000/web`, is not a tag).
 */
export function splitImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
