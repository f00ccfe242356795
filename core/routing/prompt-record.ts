import type { ChatInputRequest } from '../metering/index.js';

/**
 * What a chat job stores as its prompt (support and abuse review, purged after the retention window):
 * the text, tool calls and parameters, with inline image bytes replaced by their size, so a job row
 * never carries megabytes of base64.
 */
export function promptRecord(request: ChatInputRequest): Record<string, unknown> {
  return {
    ...(request.system === undefined ? {} : { system: request.system }),
    messages: request.messages.map((message) => ({
      ...message,
      content: message.content.map((part) =>
        part.type === 'image' && 'data' in part
          ? { type: 'image', mediaType: part.mediaType, bytes: Math.floor((part.data.length * 3) / 4) }
          : part,
      ),
    })),
    ...(request.tools ? { tools: request.tools.map((t) => t.name) } : {}),
  };
}
