import { DEFAULT_GRAPH_API_BASE, InstagramChannelConfig, MessengerChannelConfig } from '@sapa/contracts';
import type { TSchema } from '@sinclair/typebox';
import type { ChannelSetup } from './channel-setup.js';
import { configValidator } from './validate-config.js';

type PageConfig = MessengerChannelConfig & { instagramAccountId?: string };

/**
 * A Facebook Page's Messenger inbox, or the Instagram professional account linked to a Page (api-contract.md §Channel
 * types): the Page access token, the app secret and the verify token are sealed; the Page id, the Graph API base (and
 * for Instagram its account id, when given) stay readable. There is no activation call: Meta takes a webhook URL only in
 * the app dashboard (Webhooks → Page, or → Instagram), where the admin pastes `<public webhook URL>/webhooks/meta/<channel
 * id>` and the verify token; Meta then checks it with a GET handshake. Both types share the `meta` segment.
 */
function pageChannelSetup(schema: TSchema): ChannelSetup {
  const validate = configValidator<PageConfig>(schema);
  return {
    webhookSegment: 'meta',
    prepare(config) {
      const { pageId, pageAccessToken, appSecret, verifyToken, graphApiBase, instagramAccountId } = validate(config);
      return {
        config: {
          pageId,
          graphApiBase: (graphApiBase ?? DEFAULT_GRAPH_API_BASE).replace(/\/+$/, ''),
          ...(instagramAccountId !== undefined && { instagramAccountId }),
        },
        secrets: { pageAccessToken, appSecret, verifyToken },
      };
    },
  };
}

export const messengerChannel = pageChannelSetup(MessengerChannelConfig);
export const instagramChannel = pageChannelSetup(InstagramChannelConfig);
