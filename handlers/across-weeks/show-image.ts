import type { ChatImage, ChatPlatform, MessageRef, SendOptions } from '../../src/platforms/platform.ts';

/**
 * A chart where people look: inside a message on a platform that can show one (Feishu: an image
 * card), otherwise as an uploaded PNG, which Slack shows inline and the console writes to a file.
 */
export function showImage(platform: ChatPlatform, channel: string, image: ChatImage, thread?: MessageRef, options?: SendOptions): Promise<MessageRef> {
  if (platform.postImage) return platform.postImage(channel, image, thread, options);
  return platform.uploadFile(channel, { filename: image.filename, title: image.title, content: image.png }, thread);
}
