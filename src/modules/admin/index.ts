export { adminModule } from './admin.module.js';
