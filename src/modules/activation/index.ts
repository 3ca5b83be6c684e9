// The activation module's public face: its descriptor, and for other modules the activation transitions other modules run inside their transactions.
export { activationModule } from './activation.module.js';
export { recordDelivery, recordOrderPlaced, recordSignup } from './activation.transitions.js';
export { SweepScheduler } from './sweep.scheduler.js';
