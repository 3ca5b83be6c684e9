// The admin module's public face: its descriptor, and for other modules nothing beyond its descriptor.
export { adminModule } from './admin.module.js';
