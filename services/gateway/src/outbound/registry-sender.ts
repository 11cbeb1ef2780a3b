import { SendFailure, type OutboundAdapter } from '../channels/channel-adapter.js';
import { adapterFor } from '../channels/registry.js';

/** The gateway's sender: the outbound adapter of the delivery's channel type (channels/registry.ts). */
export const registrySender: OutboundAdapter = {
  async send(toSend, channel, options) {
    const sender = adapterFor(toSend.channel.type)?.outbound;
    if (!sender) throw new SendFailure(`the gateway cannot send on channels of type ${toSend.channel.type}`, false);
    return sender.send(toSend, channel, options);
  },
};
