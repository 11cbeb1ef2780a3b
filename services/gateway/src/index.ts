export { buildGatewayApp, type GatewayAppDeps } from './app.js';
export { startGateway, type Gateway, type GatewayDeps } from './start-gateway.js';
export { startOutboundWorkers, type OutboundWorkerDeps } from './outbound/outbound-worker.js';
export { sweepPendingDeliveries, type SweepDeps, type SweepResult } from './outbound/sweep-pending-deliveries.js';
export { startDeliverySweeper, type DeliverySweeper, type SweeperOptions } from './outbound/delivery-sweeper.js';
export { seenKey } from './inbound/seen-key.js';
export { CHANNEL_ADAPTERS, adapterFor } from './channels/registry.js';
export { loadGatewayConfig, GatewayConfigSchema, type GatewayConfig } from './config.js';
