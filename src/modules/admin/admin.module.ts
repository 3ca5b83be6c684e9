// The admin module: the role audit (who may read and change what), read straight from the schema.
import { defineModule } from '../module.js';
import { RoleAuditResolver } from './role-audit.resolver.js';

export const adminModule = defineModule({ name: 'admin', tables: [], resolvers: [RoleAuditResolver] });
