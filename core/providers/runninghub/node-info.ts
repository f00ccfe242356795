import { CoreError } from '../../errors.js';
import {
  TASK_INPUT_NAMES,
  type TaskInputName,
  type TaskRequest,
  type WorkflowRoute,
} from '../media-contract.js';

export interface NodeInfo {
  nodeId: string;
  fieldName: string;
  fieldValue: string | number | boolean;
}

/**
 * Builds the `nodeInfoList` of a create request from the route's input mapping: each request value
 * goes to the node field the route names for it. A value the workflow has no place for, or an image
 * the workflow needs but did not get, is refused rather than silently dropped.
 * `uploadedImage` is the `fileName` the upload endpoint returned for `request.image`.
 */
export function buildNodeInfoList(
  route: WorkflowRoute,
  request: TaskRequest,
  uploadedImage?: string,
): NodeInfo[] {
  const values: Partial<Record<TaskInputName, string | number>> = {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    image: uploadedImage,
    width: request.width,
    height: request.height,
    seconds: request.seconds,
    seed: request.seed,
  };
  if (route.inputs.image !== undefined && uploadedImage === undefined) {
    throw new CoreError('invalid_request', 'This model needs an input image.');
  }
  const list: NodeInfo[] = (route.fixed ?? []).map(({ nodeId, fieldName, fieldValue }) => ({
    nodeId,
    fieldName,
    fieldValue,
  }));
  for (const name of TASK_INPUT_NAMES) {
    const value = values[name];
    if (value === undefined) continue;
    const target = route.inputs[name];
    if (target === undefined) {
      // The prompt always exists; a workflow without a prompt node (e.g. pure upscaling) ignores it.
      if (name === 'prompt') continue;
      throw new CoreError('invalid_request', `This model does not take the parameter "${name}".`);
    }
    const fieldValue =
      typeof value === 'number' && target.multiplier !== undefined
        ? Math.round(value * target.multiplier)
        : value;
    list.push({ nodeId: target.nodeId, fieldName: target.fieldName, fieldValue });
  }
  return list;
}
