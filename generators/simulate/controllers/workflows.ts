// What Argo Workflows v4.1.2 does with a step's container: the emissary executor wraps the
// container's command, so a container without `command` makes the controller look the image's
// entrypoint up (workflow/controller/workflowpod.go: lookupImage with the workflow's service
// account and imagePullSecrets) for every pod it creates, unless the image is listed in the
// controller's `images:` index. A private image without pull credentials there fails the step
// ("failed to look-up entrypoint/cmd for image").

import YAML from 'yaml';
import type { Finding } from '../../check/finding.ts';
import { asArray, asObj, configMaps, finding, isObj, ofKind, ptr, str, type ControllerRule } from './util.ts';

const WORKFLOW_KINDS = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'];

/** Images whose command the controller's configmap declares (`images: {<image>: {cmd: [...]}}`). */
function indexedImages(resources: Parameters<ControllerRule>[0]): Set<string> {
  const out = new Set<string>();
  for (const cm of configMaps(resources, 'workflow-controller-configmap')) {
    try {
      const images = YAML.parse(str(asObj(cm.obj.data).images) ?? '') as unknown;
      for (const [image, entry] of Object.entries(asObj(images))) if (asArray(asObj(entry).cmd).length) out.add(image);
    } catch {
      // an unreadable index declares nothing
    }
  }
  return out;
}

const containerWithoutCommand: ControllerRule = (resources) => {
  const indexed = indexedImages(resources);
  return ofKind(resources, ...WORKFLOW_KINDS).flatMap((r) => {
    const spec = r.obj.kind === 'CronWorkflow' ? asObj(asObj(r.obj.spec).workflowSpec) : asObj(r.obj.spec);
    const base = r.obj.kind === 'CronWorkflow' ? '/spec/workflowSpec' : '/spec';
    const out: Finding[] = [];
    asArray(spec.templates).forEach((t, i) => {
      if (!isObj(t)) return;
      const containers: [unknown, string][] = [
        [t.container, ptr(base, 'templates', i, 'container')],
        ...asArray(asObj(t.containerSet).containers).map((c, j): [unknown, string] => [c, ptr(base, 'templates', i, 'containerSet', 'containers', j)]),
      ];
      for (const [c, path] of containers) {
        if (!isObj(c) || asArray(c.command).length) continue;
        const image = str(c.image) ?? '';
        if (indexed.has(image)) continue;
        out.push(
          finding(r, {
            rule: 'sim/workflows/container-without-command',
            severity: 'warning',
            path,
            message: `template "${str(t.name)}" runs ${image || 'an image'} without a command: the emissary executor needs it, so the controller looks the image's entrypoint up in the registry for every pod (pull access needed; a private image without pull credentials fails the step)`,
            fix: "set command to the image's ENTRYPOINT (e.g. [/kaniko/executor]), or list the image under images: in workflow-controller-configmap",
          }),
        );
      }
    });
    return out;
  });
};

export const workflowRules: ControllerRule[] = [containerWithoutCommand];
