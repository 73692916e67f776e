// The Argo Rollouts controller configuration a Gateway API canary needs, once per platform, in the
// argo-rollouts add-on folder: the traffic router plugin registered in the controller's ConfigMap
// `argo-rollouts-config`, and RBAC for the controller to weigh HTTPRoutes.
//
// The upstream install already ships an empty `argo-rollouts-config`, so ours is a patch of it, not
// a second resource (kustomize rejects two objects with the same id). The add-on kustomization
// lists the files this module returns through rolloutsAddonEntries().

import type { Platform } from '../../model/types.ts';
import type { PlannedFile } from '../types.ts';
import { toYaml } from '../../render/yaml.ts';

const DIR = 'platform/addons/argo-rollouts';
const ROLLOUTS_NAMESPACE = 'argo-rollouts';
export const PLUGIN_CONFIG_FILE = 'argo-rollouts-config.yaml';
export const PLUGIN_RBAC_FILE = 'gateway-api-plugin-rbac.yaml';

/** Some service of the platform canaries through the Gateway API plugin. */
export const usesGatewayApiPlugin = (p: Platform) => p.delivery.router === 'gateway-api' && p.services.some((s) => s.strategy === 'canary' && s.environments.length > 0);

/** What the argo-rollouts add-on kustomization must list besides the upstream release. */
export function rolloutsAddonEntries(p: Platform): { resources: string[]; patches: string[] } {
  return usesGatewayApiPlugin(p) ? { resources: [PLUGIN_RBAC_FILE], patches: [PLUGIN_CONFIG_FILE] } : { resources: [], patches: [] };
}

export function planRolloutsPlugin(p: Platform): PlannedFile[] {
  if (!usesGatewayApiPlugin(p)) return [];
  return [
    {
      path: `${DIR}/${PLUGIN_CONFIG_FILE}`,
      owner: 'managed',
      template: 'service/rollouts-plugin-config.yaml.hbs',
      data: {
        namespace: ROLLOUTS_NAMESPACE,
        version: p.pins.gatewayApiPlugin.version,
        // The controller reads this key as a YAML list held in a string.
        data: { trafficRouterPlugins: toYaml([{ name: p.pins.gatewayApiPlugin.name, location: p.pins.gatewayApiPlugin.location, ...(p.pins.gatewayApiPlugin.sha256 ? { sha256: p.pins.gatewayApiPlugin.sha256 } : {}) }]) },
      },
    },
    {
      path: `${DIR}/${PLUGIN_RBAC_FILE}`,
      owner: 'managed',
      template: 'service/rollouts-plugin-rbac.yaml.hbs',
      data: { name: 'argo-rollouts-gateway-api-plugin', namespace: ROLLOUTS_NAMESPACE, serviceAccount: 'argo-rollouts' },
    },
  ];
}
