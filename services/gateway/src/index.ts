export { buildGatewayApp, type GatewayAppDeps } from './app.js';
export { startGateway, type Gateway, type GatewayDeps } from './start-gateway.js';
export { startOutboundWorkers, type OutboundWorkerDeps } from './outbound/outbound-worker.js';
export { sweepPendingDeliveries, type SweepDeps, type SweepResult } from './outbound/sweep-pending-deliveries.js';
export { startDeliverySweeper, type DeliverySweeper, type SweeperOptions } from './outbound/delivery-sweeper.js';
export { seenKey } from './inbound/seen-key.js';
// For services that read channels themselves (services/whatsapp): the same dedupe, receipts, status events and retry backoff.
export { acceptInbound, type AcceptDeps, type AcceptOutcome } from './inbound/accept-inbound.js';
export { applyReceipts, type ReceiptDeps } from './webhooks/apply-receipts.js';
export { publishMessageUpdated } from './outbound/publish-message-status.js';
// For services that send on channels themselves (services/email, services/whatsapp): the gateway's delivery model.
export { findPendingDelivery } from './outbound/deliver.js';
export { failDelivery, recordSendError, recordSent, type OutcomeDeps } from './outbound/delivery-outcome.js';
export { readStoredAttachment } from './media/gateway-attachments.js';
export { outboundBackoff } from './outbound/backoff.js';
export { SendFailure, type AttachmentAccess, type ChannelReceipt, type OpenedChannel, type OutboundAdapter, type SendOptions, type SendResult } from './channels/channel-adapter.js';
export { CHANNEL_ADAPTERS, adapterFor } from './channels/registry.js';
export { loadGatewayConfig, GatewayConfigSchema, type GatewayConfig } from './config.js';
